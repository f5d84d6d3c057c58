import type { Observable } from 'rxjs';
import { catchError, concat, defer, exhaustMap, filter, ignoreElements, map, of } from 'rxjs';
import { asRtcError } from '../errors';
import type { MediaScope } from '../bindings/platform';
import { setupError } from '../bindings/setup-errors';
import type { RtcClient } from '../streams/client/types';
import type { PermissionEvent, RoomEvent } from '../streams/room-event';
import { republish } from './republish';

/** The part of the client the permission recovery drives. */
export type MediaPermissionTarget = Pick<
  RtcClient,
  'events$' | 'state' | 'publish' | 'unpublish' | 'muteLocal'
>;

/** Options of {@link mediaPermissionRecovery}. */
export interface MediaPermissionRecoveryOptions {
  /**
   * Asks the user for the scopes and emits once they are granted, or errors with a typed
   * RtcError (`ensureMediaPermission` from rxroom, with the API and prompt of your choice).
   */
  readonly ensure: (scopes: readonly MediaScope[]) => Observable<unknown>;
}

/** The native text of a permission failure, when the event carries one. */
function permissionFailure(e: RoomEvent): { errMsg: string } | null {
  if (e.type === 'native' && e.event.type === 'pusher-error' && e.event.error === 'MEDIA_PERMISSION_DENIED') {
    return { errMsg: e.event.errMsg };
  }
  if (e.type === 'error' && e.error.code === 'MEDIA_PERMISSION_DENIED') return { errMsg: e.error.reason };
  return null;
}

/**
 * When the push fails for want of camera or microphone permission (`MEDIA_PERMISSION_DENIED`:
 * live-pusher errCode 10001/10002, or a vendor driver's error), asks the user through `ensure`
 * and, once granted, publishes the main stream again so the pusher starts with the permission.
 * One flow at a time; failures the user causes come back as `refused` with their typed error
 * (`PERMISSION_REFUSED`, `SYSTEM_PERMISSION_DENIED` when the phone denies WeChat itself, which
 * asking the mini program's scopes cannot fix). Every step is a `permission` event.
 *
 * `createClient` runs it over the wx platform by default (option `mediaPermission`).
 *
 * @example
 * ```ts
 * mediaPermissionRecovery(client, {
 *   ensure: () => ensureMediaPermission({ settings: { title: 'Camera', content: 'Turn on camera and microphone?' } }),
 * }).subscribe((e) => console.log(e.action))
 * ```
 */
export function mediaPermissionRecovery(
  client: MediaPermissionTarget,
  options: MediaPermissionRecoveryOptions,
): Observable<PermissionEvent> {
  return client.events$.pipe(
    map(permissionFailure),
    filter((f): f is { errMsg: string } => f !== null),
    exhaustMap(({ errMsg }) =>
      defer((): Observable<PermissionEvent> => {
        const system = setupError(errMsg);
        if (system) return of({ type: 'permission', action: 'refused', error: system });
        const self = client.state.self;
        const main = self ? `${self.userId}:main` : null;
        const stream = main ? self?.publications[main]?.stream : undefined;
        const scopes: MediaScope[] = [];
        if (!stream || stream.hasVideo) scopes.push('scope.camera');
        if (!stream || stream.hasAudio) scopes.push('scope.record');
        return concat(
          of<PermissionEvent>({ type: 'permission', action: 'asked', scopes }),
          options.ensure(scopes).pipe(ignoreElements()),
          of<PermissionEvent>({ type: 'permission', action: 'granted', scopes }),
          defer(() =>
            main && client.state.self?.publications[main]
              ? concat(
                  republish(client, main).pipe(ignoreElements()),
                  of<PermissionEvent>({ type: 'permission', action: 'republished', streamId: main }),
                )
              : of<PermissionEvent>(),
          ),
        ).pipe(
          catchError((e: unknown) =>
            of<PermissionEvent>({
              type: 'permission',
              action: 'refused',
              error: asRtcError(e),
            }),
          ),
        );
      }),
    ),
  );
}
