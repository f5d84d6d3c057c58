/**
 * The lobby: where to connect, which room, who you are. It fetches a development token and opens
 * the room page with everything in the query.
 */
import { DEFAULT_SERVER_URL, TOKEN_ENDPOINT } from '../../config';
import { fetchDevToken, ID_RULE, isValidId } from '../../lib/dev-token';

interface LobbyData {
  server: string;
  room: string;
  user: string;
  busy: boolean;
  error: string;
}

type InputEvent = WechatMiniprogram.Input;

interface LobbyCustom {
  onServerInput(e: InputEvent): void;
  onRoomInput(e: InputEvent): void;
  onUserInput(e: InputEvent): void;
  onJoin(): Promise<void>;
}

Page<LobbyData, LobbyCustom>({
  data: {
    server: DEFAULT_SERVER_URL,
    room: 'demo',
    // Any unique name will do; two phones in one room need different ones.
    user: `guest-${Math.floor(1000 + Math.random() * 9000)}`,
    busy: false,
    error: '',
  },

  onServerInput(e: InputEvent) {
    this.setData({ server: e.detail.value.trim(), error: '' });
  },
  onRoomInput(e: InputEvent) {
    this.setData({ room: e.detail.value.trim(), error: '' });
  },
  onUserInput(e: InputEvent) {
    this.setData({ user: e.detail.value.trim(), error: '' });
  },

  async onJoin() {
    const { server, room, user, busy } = this.data;
    if (busy) return;
    if (!isValidId(room) || !isValidId(user)) {
      this.setData({ error: `Room and user: ${ID_RULE}.` });
      return;
    }
    this.setData({ busy: true, error: '' });
    try {
      const token = await fetchDevToken(server, room, user, TOKEN_ENDPOINT);
      const query = { server, room, user, token };
      const qs = Object.entries(query)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&');
      this.setData({ busy: false });
      wx.navigateTo({ url: `/pages/room/index?${qs}` });
    } catch (e) {
      this.setData({ busy: false, error: e instanceof Error ? e.message : String(e) });
    }
  },
});
