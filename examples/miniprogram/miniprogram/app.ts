import { DEFAULT_SERVER_URL } from './config';

App<IAppOption>({
  globalData: { serverUrl: DEFAULT_SERVER_URL },
});
