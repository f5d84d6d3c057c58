/**
 * `<rx-pusher/>`: publishes the camera and microphone of the page's client and reports itself. It
 * wraps `<live-pusher>`, takes the push URL and mute state from the client's publication (publish
 * with `client.publish()`, mute with `client.muteLocal()`) and every other attribute from
 * `client.pusher$` (change them with `client.setPusher({...})`, `client.switchCamera()`), shows the local volume and net quality
 * through its own `setData`, feeds every native event to `client.dispatchNative`, lends the client
 * its `<live-pusher>` context for media recovery, and drops all of it on `detached`. Native events
 * are also re-emitted to the page with their original `detail`.
 */
import { asyncScheduler } from 'rxjs';
import {
  decodePusherAudioVolume,
  decodePusherBgmComplete,
  decodePusherBgmProgress,
  decodePusherBgmStart,
  decodePusherError,
  decodePusherNetStatus,
  decodePusherPictureInPicture,
  decodePusherStateChange,
  type NativeEvent,
} from '../../index';
import { componentPusherContext } from '../../bindings/wx-context';
import {
  componentBinding,
  detailOf,
  type ClientProps,
  type ComponentLike,
} from '../shared/component-binding';
import { emptyPusher, pusherView } from './pusher-view';

interface PusherProps extends ClientProps {
  readonly volumeStep: number;
}

const binding = componentBinding<PusherProps>({
  props: (c) => ({
    client: typeof c.data.client === 'string' && c.data.client !== '' ? c.data.client : 'default',
    volumeStep: typeof c.data.volumeStep === 'number' ? c.data.volumeStep : 10,
  }),
  view: (client, props) =>
    pusherView(client, { volumeStep: props.volumeStep }, componentPusherContext(), asyncScheduler),
  empty: () => emptyPusher(),
});

type Instance = ComponentLike & {
  triggerEvent(name: string, detail?: unknown): void;
};

function feed(instance: Instance, name: string, decode: (e: unknown) => NativeEvent, event: unknown): void {
  binding.clientOf(instance)?.dispatchNative(decode(event));
  instance.triggerEvent(name, detailOf(event));
}

Component({
  properties: {
    /** Registry name of the client (`registerClient(client, name)`). */
    client: { type: String, value: 'default' },
    /** Volume is rounded to multiples of this before it is shown. */
    volumeStep: { type: Number, value: 10 },
    /** Show the volume bar and the net quality badge. */
    showLevels: { type: Boolean, value: true },
  },
  data: { ...emptyPusher() },
  observers: {
    'client, volumeStep'(this: Instance) {
      binding.propsChanged(this);
    },
  },
  lifetimes: {
    attached() {
      binding.attached(this);
    },
    detached() {
      binding.detached(this);
    },
  },
  pageLifetimes: {
    show() {
      binding.show(this);
    },
    hide() {
      binding.hide(this);
    },
  },
  methods: {
    onStateChange(e: unknown) {
      feed(this, 'statechange', decodePusherStateChange, e);
    },
    onNetStatus(e: unknown) {
      feed(this, 'netstatus', decodePusherNetStatus, e);
    },
    onAudioVolume(e: unknown) {
      feed(this, 'audiovolumenotify', decodePusherAudioVolume, e);
    },
    onError(e: unknown) {
      feed(this, 'error', decodePusherError, e);
    },
    onBgmStart(e: unknown) {
      feed(this, 'bgmstart', decodePusherBgmStart, e);
    },
    onBgmProgress(e: unknown) {
      feed(this, 'bgmprogress', decodePusherBgmProgress, e);
    },
    onBgmComplete(e: unknown) {
      feed(this, 'bgmcomplete', decodePusherBgmComplete, e);
    },
    onEnterPictureInPicture(e: unknown) {
      feed(this, 'enterpictureinpicture', decodePusherPictureInPicture(true), e);
    },
    onLeavePictureInPicture(e: unknown) {
      feed(this, 'leavepictureinpicture', decodePusherPictureInPicture(false), e);
    },
  },
});
