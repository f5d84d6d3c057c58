/** What `App()` holds, in the style of WeChat DevTools' TypeScript template. */
interface IAppOption {
  globalData: {
    /** The rxroom server the lobby offers first (`ws://` works in DevTools with urlCheck off). */
    serverUrl: string;
  };
}
