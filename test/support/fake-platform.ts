/**
 * A fake Platform for unit tests: sockets that behave like WeChat's SocketTask (callbacks only,
 * no off*, callbacks may still fire after close) and that the test drives by hand.
 */
import type {
  NetworkStatus,
  Platform,
  PlatformSocket,
  PlayerContext,
  PusherContext,
} from '../../src/bindings/platform';

export class FakeSocket implements PlatformSocket {
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  private readonly open: (() => void)[] = [];
  private readonly message: ((r: { data: string | ArrayBuffer }) => void)[] = [];
  private readonly close_: ((r: { code: number; reason: string }) => void)[] = [];
  private readonly error: ((r: { errMsg: string }) => void)[] = [];

  constructor(readonly url: string) {}

  send(option: { data: string }): void {
    this.sent.push(option.data);
  }
  close(option: { code?: number; reason?: string }): void {
    this.closedWith = option;
  }
  onOpen(l: () => void): void {
    this.open.push(l);
  }
  onMessage(l: (r: { data: string | ArrayBuffer }) => void): void {
    this.message.push(l);
  }
  onClose(l: (r: { code: number; reason: string }) => void): void {
    this.close_.push(l);
  }
  onError(l: (r: { errMsg: string }) => void): void {
    this.error.push(l);
  }

  /** The server accepted the connection. */
  fireOpen(): void {
    this.open.forEach((l) => l());
  }
  /** A frame from the server. */
  fireMessage(data: string | ArrayBuffer): void {
    this.message.forEach((l) => l({ data }));
  }
  fireError(errMsg: string): void {
    this.error.forEach((l) => l({ errMsg }));
  }
  fireClose(code: number, reason = ''): void {
    this.close_.forEach((l) => l({ code, reason }));
  }
  /** Frames sent, parsed. */
  get frames(): Record<string, unknown>[] {
    return this.sent.map((t) => JSON.parse(t) as Record<string, unknown>);
  }
}

export class FakePlatform implements Platform {
  readonly name = 'fake';
  readonly sockets: FakeSocket[] = [];
  readonly network = new Set<(s: NetworkStatus) => void>();
  readonly shows = new Set<() => void>();
  readonly hides = new Set<() => void>();

  connectSocket(options: { url: string }): FakeSocket {
    const socket = new FakeSocket(options.url);
    this.sockets.push(socket);
    return socket;
  }
  onNetworkStatusChange(l: (s: NetworkStatus) => void) {
    this.network.add(l);
    return () => void this.network.delete(l);
  }
  onAppShow(l: () => void) {
    this.shows.add(l);
    return () => void this.shows.delete(l);
  }
  onAppHide(l: () => void) {
    this.hides.add(l);
    return () => void this.hides.delete(l);
  }
  createPusherContext(): PusherContext {
    return { start: () => undefined, stop: () => undefined };
  }
  createPlayerContext(): PlayerContext {
    return { play: () => undefined, stop: () => undefined };
  }
  get last(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket was opened');
    return s;
  }
  get listeners(): number {
    return this.network.size + this.shows.size + this.hides.size;
  }
}
