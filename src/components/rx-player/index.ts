/**
 * `<rx-player stream-id="{{id}}"/>`: plays one remote stream of the page's client and reports
 * itself. It wraps `<live-player>`, takes the play URL and mute state from the client and every
 * other attribute from the stream's player settings (`client.setPlayer(id, {...})`), shows the
 * stream owner's volume and net quality through its own `setData` (so those ticks never re-render
 * the page), feeds every native event to `client.dispatchNative` with the stream id of its
 * `stream-id` property, lends the client its `<live-player>` context for media recovery, and
 * drops all of it on `detached`. Native events are also re-emitted to the page with their
 * original `detail` (`bindstatechange`, `bindnetstatus`, `bindaudiovolumenotify`,
 * `bindfullscreenchange`, `bindenterpictureinpicture`, `bindleavepictureinpicture`).
 */
import { asyncScheduler, of } from 'rxjs';
import {
  decodePlayerAudioVolume,
  decodePlayerFullscreenChange,
  decodePlayerNetStatus,
  decodePlayerPictureInPicture,
  decodePlayerStateChange,
  playerElementId,
  type NativeEvent,
} from '../../index';
import { componentPlayerContext } from '../../bindings/wx-context';
import {
  componentBinding,
  detailOf,
  forStream,
  type ClientProps,
  type ComponentLike,
} from '../shared/component-binding';
import { emptyPlayer, playerView } from './player-view';

interface PlayerProps extends ClientProps {
  readonly streamId: string;
  readonly volumeStep: number;
}

const binding = componentBinding<PlayerProps>({
  props: (c) => ({
    client: typeof c.data.client === 'string' && c.data.client !== '' ? c.data.client : 'default',
    streamId: typeof c.data.streamId === 'string' ? c.data.streamId : '',
    volumeStep: typeof c.data.volumeStep === 'number' ? c.data.volumeStep : 10,
  }),
  view: (client, props, instance) =>
    props.streamId === ''
      ? of(emptyPlayer(''))
      : playerView(
          client,
          props.streamId,
          { volumeStep: props.volumeStep },
          componentPlayerContext(playerElementId(props.streamId), instance),
          asyncScheduler,
        ),
  empty: (props) => emptyPlayer(props.streamId),
});

type Instance = ComponentLike & {
  triggerEvent(name: string, detail?: unknown): void;
};

function feed(instance: Instance, name: string, decode: (e: unknown) => NativeEvent, event: unknown): void {
  const streamId = typeof instance.data.streamId === 'string' ? instance.data.streamId : '';
  binding.clientOf(instance)?.dispatchNative(decode(forStream(event, streamId)));
  // The page gets the native payload as it came (RongCloud's player handed on its id instead).
  instance.triggerEvent(name, detailOf(event));
}

Component({
  properties: {
    /** Registry name of the client (`registerClient(client, name)`). */
    client: { type: String, value: 'default' },
    /** The remote stream to play (`user:main` or `user:screen`). */
    streamId: { type: String, value: '' },
    /** Volume is rounded to multiples of this before it is shown. */
    volumeStep: { type: Number, value: 10 },
    /** Show the volume bar and the net quality badge. */
    showLevels: { type: Boolean, value: true },
  },
  data: { ...emptyPlayer('') },
  observers: {
    'client, streamId, volumeStep'(this: Instance) {
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
      feed(this, 'statechange', decodePlayerStateChange, e);
    },
    onNetStatus(e: unknown) {
      feed(this, 'netstatus', decodePlayerNetStatus, e);
    },
    onAudioVolume(e: unknown) {
      feed(this, 'audiovolumenotify', decodePlayerAudioVolume, e);
    },
    onFullscreenChange(e: unknown) {
      feed(this, 'fullscreenchange', decodePlayerFullscreenChange, e);
    },
    onEnterPictureInPicture(e: unknown) {
      feed(this, 'enterpictureinpicture', decodePlayerPictureInPicture(true), e);
    },
    onLeavePictureInPicture(e: unknown) {
      feed(this, 'leavepictureinpicture', decodePlayerPictureInPicture(false), e);
    },
  },
});
