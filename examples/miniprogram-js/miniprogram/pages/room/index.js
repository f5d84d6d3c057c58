// @ts-check
/**
 * The room: join, publish, play everyone (`autoSubscribe` with `subscribeAll`), a banner while
 * reconnecting, mute, switch camera, leave. The page's data is one stream (`roomViewModel`,
 * trimmed to what the page shows) connected by `bindPage`; `<rx-pusher>` and `<rx-player>` show
 * volume and network quality themselves.
 */
const { map, switchMap } = require('rxjs');
const {
  autoSubscribe,
  bindPage,
  createClient,
  isRtcError,
  registerClient,
  roomViewModel,
  subscribeAll,
} = require('rxroom');

/** @typedef {import('rxroom').RtcClient} RtcClient */

/**
 * What this page keeps besides its data (set in onLoad, never in the options: WeChat copies them).
 *
 * @typedef {{ client?: RtcClient, stop?: () => void }} RoomFields
 */

/** @param {unknown} e */
function describe(e) {
  return isRtcError(e) ? e.code + ': ' + e.reason : String(e);
}

/**
 * The page's data from the room: what it shows, without the volume and quality ticks.
 *
 * @param {RtcClient} client
 */
function pageView(client) {
  return roomViewModel(client).pipe(
    map((vm) => ({
      roomId: vm.roomId,
      userId: vm.userId,
      peerCount: vm.peerCount,
      banner: { show: vm.banner.show, text: vm.banner.text },
      players: vm.players.map((p) => ({ streamId: p.streamId, userId: p.userId })),
      pusher: {
        publishing: vm.pusher.publishing,
        enableMic: vm.pusher.enableMic,
      },
    })),
  );
}

/** @param {Record<string, string | undefined>} query */
function read(query) {
  /** @param {string} key */
  const get = (key) => decodeURIComponent(query[key] || '');
  return { server: get('server'), room: get('room'), user: get('user'), token: get('token') };
}

Page(
  bindPage(
    {
      data: { error: '' },

      /** @this {RoomFields & WechatMiniprogram.Page.Instance<Record<string, any>, {}>} */
      onLoad(/** @type {Record<string, string | undefined>} */ query) {
        const params = read(query);
        const client = createClient({ url: params.server });
        const unregister = registerClient(client); // <rx-player>/<rx-pusher> find it by name
        const joined = client
          .join({ token: params.token, roomId: params.room, userId: params.user })
          .pipe(switchMap(() => client.publish()))
          .subscribe({ error: (e) => this.setData({ error: 'Joining failed (' + describe(e) + ')' }) });
        const subscribing = autoSubscribe(client, subscribeAll()).subscribe();
        this.client = client;
        this.stop = () => {
          joined.unsubscribe();
          subscribing.unsubscribe();
          unregister();
          client.destroy(); // leaves the room and completes every stream
        };
      },
      /** @this {RoomFields} */
      onUnload() {
        if (this.stop) this.stop();
      },

      /** @this {RoomFields & WechatMiniprogram.Page.Instance<Record<string, any>, {}>} */
      onToggleMic() {
        if (!this.client) return;
        this.client.muteLocal({ audio: this.data.pusher.enableMic }).subscribe({
          error: (e) => this.setData({ error: 'Microphone failed (' + describe(e) + ')' }),
        });
      },
      /** @this {RoomFields & WechatMiniprogram.Page.Instance<Record<string, any>, {}>} */
      onSwitchCamera() {
        if (!this.client) return;
        // Front or back, in place: <rx-pusher> binds the client's device-position; the push goes on.
        this.client.switchCamera().subscribe({
          error: (e) => this.setData({ error: 'Switching camera failed (' + describe(e) + ')' }),
        });
      },
      onLeave() {
        wx.navigateBack({ delta: 1, fail: () => wx.redirectTo({ url: '/pages/index/index' }) });
      },
    },
    /** @param {RoomFields & import('rxroom').SetDataTarget} page */
    (page) => pageView(/** @type {RtcClient} */ (page.client)),
  ),
);
