/**
 * @jest-environment jsdom
 *
 * The shipped layout of miniprogram_dist: the SDK in index.js, each component in
 * components/<name>/index.js next to its .json/.wxml/.wxss, requiring the SDK (`../../index.js`)
 * instead of carrying a copy, so the page's `require('rxroom')` and the components share one
 * registry. Built here, from the same Rollup config as `npm run build` (type checking and
 * minifying skipped: see support/build-miniprogram.mjs), so no prior build is needed.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'fs';
import * as path from 'path';
import type * as Sdk from '../../src';
import { joined, stream, subscription } from '../support/room-fixtures';
import {
  componentScope,
  fakeDriver,
  latest,
  loadComponent,
  parent,
  settle,
  useFakeTime,
} from './support/simulate';

const root = path.join(__dirname, '../..');
let out: string;
let sdk: typeof Sdk;

beforeAll(() => {
  // Inside the repo, so the built files resolve `rxjs` from its node_modules like a mini program's.
  const cache = path.join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  out = mkdtempSync(path.join(cache, 'rxroom-miniprogram-dist-'));
  execFileSync(process.execPath, ['test/components/support/build-miniprogram.mjs', out, '--fast'], {
    cwd: root,
    stdio: 'pipe',
    timeout: 60_000,
  });
  sdk = jest.requireActual<typeof Sdk>(path.join(out, 'index.js'));
}, 90_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));
useFakeTime();
const scope = componentScope();

const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

describe('miniprogram_dist', () => {
  it('ships each component as index.{js,json,wxml,wxss} under components/<name>/', () => {
    for (const name of ['rx-player', 'rx-pusher']) {
      for (const ext of ['js', 'json', 'wxml', 'wxss']) {
        expect(existsSync(path.join(out, 'components', name, `index.${ext}`))).toBe(true);
      }
      expect(JSON.parse(read(`components/${name}/index.json`))).toMatchObject({ component: true });
    }
  });

  it('does not copy the SDK into the components: they require ../../index.js', () => {
    const componentFiles = [
      'components/rx-player/index.js',
      'components/rx-pusher/index.js',
      ...readdirSync(path.join(out, 'chunks')).map((f) => `chunks/${f}`),
    ];
    // A marker of the SDK's code: the error code table lives in index.js or the SDK's own lib/
    // chunks (shared with the vendor drivers), never in a component.
    const sdkFiles = [
      'index.js',
      ...(existsSync(path.join(out, 'lib')) ? readdirSync(path.join(out, 'lib')).map((f) => `lib/${f}`) : []),
    ];
    expect(sdkFiles.some((f) => read(f).includes('MALFORMED_JSON'))).toBe(true);
    for (const file of componentFiles) {
      const code = read(file);
      expect(code).not.toContain('MALFORMED_JSON');
      expect(code).toMatch(/require\(["']\.\.\/(\.\.\/)?index\.js["']\)/);
      expect(code).not.toMatch(/require\(["'](ws|jose|pino)["']\)/);
    }
  });

  it('loads under miniprogram-simulate and finds the client the page registered through index.js', async () => {
    const id = loadComponent(path.join(out, 'components/rx-player/index'), 'rx-player');
    const driver = fakeDriver();
    const client = sdk.createClient({ driver, reportStats: false });
    driver.emit(joined({ streams: [stream('bob')], subscriptions: [subscription('bob:main')] }));
    scope.defer(sdk.registerClient(client));
    scope.defer(() => client.destroy());

    const comp = scope.render(id, { streamId: 'bob:main' });
    comp.attach(parent());
    await settle(100);
    expect(comp.data).toMatchObject({ url: 'rtmp://media/bob:main', userId: 'bob', muted: false });

    comp.querySelector(`#${sdk.playerElementId('bob:main')}`)!.dispatchEvent('audiovolumenotify', {
      detail: { volume: 55 },
    });
    await settle(100);
    expect(latest(client.volume$).toRecord()).toEqual({ bob: 55 });
    expect(comp.data.volume).toBe(60);
    comp.detach();
  });
});
