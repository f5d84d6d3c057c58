// @ts-check
/**
 * Join form: room and name; gets a token and opens the room page.
 */
const { SERVER_URL, TOKEN_ENDPOINT } = require('../../config');
const { fetchToken, tokenUrlFor } = require('../../lib/token');

/** The protocol's id rule (room and user ids). */
const ID = /^[A-Za-z0-9_.@+-]{1,64}$/;

Page({
  data: {
    server: SERVER_URL,
    room: 'demo',
    user: 'js-' + Math.floor(1000 + Math.random() * 9000),
    busy: false,
    error: '',
  },

  /** @param {WechatMiniprogram.Input} e */
  onRoomInput(e) {
    this.setData({ room: e.detail.value.trim(), error: '' });
  },
  /** @param {WechatMiniprogram.Input} e */
  onUserInput(e) {
    this.setData({ user: e.detail.value.trim(), error: '' });
  },

  onJoin() {
    const { server, room, user, busy } = this.data;
    if (busy) return;
    if (!ID.test(room) || !ID.test(user)) {
      this.setData({ error: 'Room and name: 1–64 of A–Z a–z 0–9 _ . @ + -' });
      return;
    }
    this.setData({ busy: true, error: '' });
    /** @type {Promise<string>} */
    let token;
    try {
      token = fetchToken(tokenUrlFor(server, TOKEN_ENDPOINT), room, user);
    } catch (e) {
      token = Promise.reject(e);
    }
    token.then(
      (t) => {
        this.setData({ busy: false });
        const query = { server: server, room: room, user: user, token: t };
        const qs = Object.keys(query)
          .map((k) => k + '=' + encodeURIComponent(query[/** @type {keyof typeof query} */ (k)]))
          .join('&');
        wx.navigateTo({ url: '/pages/room/index?' + qs });
      },
      (e) => this.setData({ busy: false, error: e instanceof Error ? e.message : String(e) }),
    );
  },
});
