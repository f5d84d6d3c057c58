/**
 * The room: your camera in `<rx-pusher>`, everyone else in a grid of `<rx-player>`, a connection
 * banner, mute buttons and the policy switch. The page's data comes from one stream, connected by
 * `bindPage` (coalesced, diffed path updates, at most 20 setData calls a second); volume and net
 * quality never touch the page: the components render them.
 */
import { bindPage } from 'rxroom';
import { isPolicyName, POLICIES } from './policy';
import { openRoom, parseRoomQuery, brokenRoomView, type RoomSession } from './session';

type RoomData = ReturnType<typeof brokenRoomView> & { policies: typeof POLICIES };

interface RoomCustom {
  /** Set in onLoad (never in the options: WeChat deep-copies non-function fields of a Page). */
  room?: RoomSession;
  onToggleMic(): void;
  onToggleCamera(): void;
  onSwitchCamera(): void;
  onTogglePlayerAudio(e: WechatMiniprogram.BaseEvent): void;
  onPolicy(e: WechatMiniprogram.BaseEvent): void;
  onLeave(): void;
}

type RoomPage = WechatMiniprogram.Page.Instance<RoomData, RoomCustom>;

const options: WechatMiniprogram.Page.Options<RoomData, RoomCustom> = {
  data: { ...brokenRoomView(''), policies: POLICIES },

  onLoad(query) {
    const params = parseRoomQuery(query);
    this.room = openRoom(params);
    if (typeof params !== 'string') wx.setNavigationBarTitle({ title: `rxroom · ${params.room}` });
  },
  onUnload() {
    this.room?.close();
  },

  onToggleMic() {
    const client = this.room?.client;
    if (!client) return;
    this.room?.run(client.muteLocal({ audio: this.data.pusher.enableMic }), 'Microphone');
  },
  onToggleCamera() {
    const client = this.room?.client;
    if (!client) return;
    this.room?.run(client.muteLocal({ video: this.data.pusher.enableCamera }), 'Camera');
  },
  onSwitchCamera() {
    const client = this.room?.client;
    if (!client) return;
    // Front or back, in place: <rx-pusher> binds the client's device-position (the push goes on).
    this.room?.run(client.switchCamera(), 'Switching camera');
  },
  onTogglePlayerAudio(e) {
    const client = this.room?.client;
    const streamId = (e.currentTarget.dataset as { streamId?: string }).streamId;
    if (!client || !streamId) return;
    // Receiving side only: stop or resume this stream's audio for me, not for everyone.
    const muted = client.state.streams.get(streamId)?.subscription?.audioMuted ?? false;
    this.room?.run(client.muteRemote(streamId, { audio: !muted }), 'Muting');
  },
  onPolicy(e) {
    const name: unknown = (e.currentTarget.dataset as { policy?: unknown }).policy;
    if (isPolicyName(name)) this.room?.policy$.next(name);
  },
  onLeave() {
    // onUnload closes the room; with no page to go back to, go to the lobby.
    wx.navigateBack({ delta: 1, fail: () => wx.redirectTo({ url: '/pages/lobby/index' }) });
  },
};

Page(bindPage(options, (page: RoomPage) => page.room!.view$));
