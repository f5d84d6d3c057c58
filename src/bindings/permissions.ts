/**
 * Camera and microphone permission, over WeChat's `wx.getSetting`, `wx.authorize` and
 * `wx.openSetting` (docs/lifecycle.md, "Permissions"). Facts it relies on, from the WeChat docs
 * as miniprogram-api-typings 5.2.3 carries them:
 * - `getSetting` answers `authSetting` with only the scopes the mini program has asked for
 *   before: a scope absent was never asked, `false` was refused;
 * - `authorize` prompts only for a scope never asked; for a refused one it fails at once
 *   (`authorize:fail auth deny` / `authorize:fail:auth deny`), so the user must go to the settings
 *   page;
 * - from base library 2.3.0 `openSetting` opens only after a user tap (`openSetting:fail can only
 *   be invoked by user TAP gesture.` otherwise); the confirm of a `wx.showModal` counts as one.
 * Every call here is made from the callback of the one before, never from a promise; still, only
 * a call made in the tap handler itself ({@link openMediaSettings}) or from a modal's confirm is
 * sure to count as a tap.
 */
import { catchError, concatMap, defer, from, map, mergeMap, Observable, of, reduce, throwError } from 'rxjs';
import { RtcError } from '../errors';
import type { MediaScope, PermissionApi } from './platform';
import { setupError } from './setup-errors';

/** What `wx.showModal` says before the settings page opens (the automatic path needs it). */
export interface PermissionPrompt {
  readonly title: string;
  readonly content: string;
  readonly confirmText?: string;
  readonly cancelText?: string;
}

/** Options of {@link ensureMediaPermission} and {@link openMediaSettings}. */
export interface MediaPermissionOptions {
  /** Ask for the camera (`scope.camera`). Default true. */
  readonly camera?: boolean;
  /** Ask for the microphone (`scope.record`). Default true. */
  readonly microphone?: boolean;
  /** Where the calls go. Default: the global `wx`. */
  readonly api?: PermissionApi;
  /**
   * For a scope the user refused before (WeChat no longer prompts for it): a
   * {@link PermissionPrompt} shows `wx.showModal` and opens the settings page on confirm (the
   * confirm is a tap); `false` fails with `PERMISSION_REFUSED`, for the page to offer a button
   * that calls {@link openMediaSettings}. Default `false`: by the time `wx.getSetting` has
   * answered, the tap that started the flow no longer counts.
   */
  readonly settings?: PermissionPrompt | false;
}

/** The scopes granted, once all asked for are. */
export interface MediaPermissionResult {
  readonly granted: readonly MediaScope[];
}

type AuthSetting = Partial<Record<MediaScope, boolean>>;

function scopesOf(options: MediaPermissionOptions): MediaScope[] {
  const scopes: MediaScope[] = [];
  if (options.camera !== false) scopes.push('scope.camera');
  if (options.microphone !== false) scopes.push('scope.record');
  return scopes;
}

function apiOf(options: MediaPermissionOptions): PermissionApi {
  const api = options.api ?? (globalThis as { wx?: PermissionApi }).wx;
  if (!api || typeof api.getSetting !== 'function') {
    throw new RtcError('UNSUPPORTED', 'no wx permission API (getSetting/authorize/openSetting) here');
  }
  return api;
}

/** One callback-style call as an Observable; it calls back synchronously into the next step. */
function call<R>(start: (cb: { success: (r: R) => void; fail: (e: { errMsg?: string }) => void }) => void) {
  return new Observable<R>((subscriber) => {
    start({
      success: (r) => {
        subscriber.next(r);
        subscriber.complete();
      },
      fail: (e) => subscriber.error(e),
    });
  });
}

const names = (scopes: readonly MediaScope[]) =>
  scopes.map((s) => (s === 'scope.camera' ? 'camera' : 'microphone')).join(' and ');

const refused = (scopes: readonly MediaScope[], detail: string) =>
  new RtcError(
    'PERMISSION_REFUSED',
    `${names(scopes)} permission refused (${detail}); ask again from a tap: openMediaSettings() opens the settings page`,
  );

/** The settings page, and whether it came back with every scope granted. */
function settingsPage(api: PermissionApi, scopes: readonly MediaScope[]): Observable<MediaPermissionResult> {
  return call<{ authSetting: AuthSetting }>((cb) => api.openSetting(cb)).pipe(
    mergeMap((res) => {
      const still = scopes.filter((s) => res.authSetting?.[s] !== true);
      return still.length === 0
        ? of({ granted: [...scopes] })
        : throwError(() => refused(still, 'not turned on in the settings page'));
    }),
    catchError((e: unknown) => {
      if (e instanceof RtcError) return throwError(() => e);
      const errMsg = (e as { errMsg?: string })?.errMsg ?? '';
      return throwError(() =>
        /tap/i.test(errMsg)
          ? new RtcError(
              'INVALID_STATE',
              `${errMsg}: wx.openSetting needs a user tap; call openMediaSettings() from a tap handler, or give ensureMediaPermission a prompt`,
            )
          : refused(scopes, errMsg || 'settings page failed'),
      );
    }),
  );
}

/**
 * Makes sure the user has granted camera and microphone permission, asking when needed: scopes
 * never asked get WeChat's prompt (`wx.authorize`); scopes refused before get the settings page
 * (`wx.openSetting`) behind a modal when `settings` gives one, else `PERMISSION_REFUSED`. Emits the granted scopes once and completes, or errors with
 * `PERMISSION_REFUSED` when the user says no, `INVALID_STATE` when the settings page needs a tap,
 * `SYSTEM_PERMISSION_DENIED` when the phone denies WeChat itself.
 *
 * Call it from a tap handler before publishing; `createClient` also runs it when a publish fails
 * with `MEDIA_PERMISSION_DENIED` and publishes again after the grant (option `mediaPermission`).
 *
 * @example
 * ```ts
 * // in a button's bindtap:
 * ensureMediaPermission().pipe(switchMap(() => client.publish())).subscribe({
 *   error: (e: RtcError) => page.setData({ error: e.reason }),
 * })
 * ```
 */
export function ensureMediaPermission(
  options: MediaPermissionOptions = {},
): Observable<MediaPermissionResult> {
  return defer(() => {
    const api = apiOf(options);
    const scopes = scopesOf(options);
    const settings = options.settings ?? false;
    return call<{ authSetting: AuthSetting }>((cb) => api.getSetting(cb)).pipe(
      mergeMap(({ authSetting }) => {
        const neverAsked = scopes.filter((s) => authSetting?.[s] === undefined);
        const refusedBefore = scopes.filter((s) => authSetting?.[s] === false);
        // Prompt for each scope never asked, one after the other.
        return from(neverAsked).pipe(
          concatMap((scope) =>
            call<unknown>((cb) => api.authorize({ scope, ...cb })).pipe(
              map(() => ({ scope, errMsg: null as string | null })),
              catchError((e: { errMsg?: string }) => of({ scope, errMsg: e?.errMsg ?? 'authorize:fail' })),
            ),
          ),
          reduce(
            (denied, r) => (r.errMsg === null ? denied : [...denied, { scope: r.scope, errMsg: r.errMsg }]),
            [] as { scope: MediaScope; errMsg: string }[],
          ),
          mergeMap((deniedNow) => {
            const system = deniedNow.map((d) => setupError(d.errMsg)).find((e) => e !== null);
            if (system) return throwError(() => system);
            if (deniedNow.length > 0) {
              const privacy = deniedNow.some((d) => /privacy/i.test(d.errMsg));
              return throwError(() =>
                refused(
                  deniedNow.map((d) => d.scope),
                  privacy ? 'the privacy guideline was not agreed to' : deniedNow[0]!.errMsg,
                ),
              );
            }
            if (refusedBefore.length === 0) return of({ granted: [...scopes] });
            if (settings === false || !api.showModal) {
              return throwError(() => refused(refusedBefore, 'refused before'));
            }
            return call<{ confirm: boolean }>((cb) =>
              api.showModal!({
                title: settings.title,
                content: settings.content,
                ...(settings.confirmText !== undefined ? { confirmText: settings.confirmText } : {}),
                ...(settings.cancelText !== undefined ? { cancelText: settings.cancelText } : {}),
                ...cb,
              }),
            ).pipe(
              mergeMap((res) =>
                res.confirm
                  ? settingsPage(api, scopes)
                  : throwError(() => refused(refusedBefore, 'the user declined to open the settings page')),
              ),
            );
          }),
        );
      }),
    );
  });
}

/**
 * Opens the settings page at once, for a button the user taps after a `PERMISSION_REFUSED`
 * (WeChat opens it only from a tap). Emits the granted scopes, or errors like
 * {@link ensureMediaPermission}.
 *
 * @example
 * ```ts
 * // bindtap of "Turn on camera and microphone":
 * openMediaSettings().pipe(switchMap(() => client.publish())).subscribe()
 * ```
 */
export function openMediaSettings(options: MediaPermissionOptions = {}): Observable<MediaPermissionResult> {
  return defer(() => settingsPage(apiOf(options), scopesOf(options)));
}
