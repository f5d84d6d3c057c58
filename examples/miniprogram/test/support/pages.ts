/**
 * Runs the example's pages under miniprogram-simulate, which knows components but not pages: a
 * `Page(options)` call becomes a component whose `attached` plays `onLoad(query)` + `onShow` and
 * whose `detached` plays `onUnload`, the order WeChat uses. Function fields become methods, as on a
 * real page instance; `data` is copied, as WeChat copies it per page.
 *
 * Pages run over the npm output WeChat's own tool packed (`npm run examples:pack`): their
 * `require('rxroom')`/`require('rxjs')` and their `usingComponents` (`rxroom/components/…`) are
 * resolved in `miniprogram_npm/` by the mini program's lookup rule (test/support/miniprogram-resolver.cjs),
 * so what runs here is what a phone loads.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type * as Rxroom from 'rxroom';
import { createToken } from '../../../../server';
import { loadComponent, simulate, type SimRoot } from '../../../../test/components/support/simulate';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lookup = require('../../../../scripts/miniprogram-lookup.cjs') as {
  resolveInMiniprogram(request: string, fromDir: string, root: string, extensions?: string[]): string | null;
};

type Query = Record<string, string | undefined>;
type Hook = (this: PageThis, ...args: unknown[]) => unknown;
interface PageThis {
  onLoad?: Hook;
  onShow?: Hook;
  onHide?: Hook;
  onReady?: Hook;
  onUnload?: Hook;
}

/** The mini program root of this example (where app.json and miniprogram_npm/ are). */
export const MINIPROGRAM_ROOT = path.join(__dirname, '../../miniprogram');
let pendingQuery: Query = {};

function pageAsComponent(options: Record<string, unknown>): Record<string, unknown> {
  const methods: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (typeof value === 'function') methods[key] = value;
  return {
    data: JSON.parse(JSON.stringify(options.data ?? {})) as unknown,
    methods,
    lifetimes: {
      attached(this: PageThis) {
        this.onLoad?.(pendingQuery);
        this.onShow?.();
        this.onReady?.();
      },
      detached(this: PageThis) {
        this.onUnload?.();
      },
    },
    pageLifetimes: {
      show(this: PageThis) {
        this.onShow?.();
      },
      hide(this: PageThis) {
        this.onHide?.();
      },
    },
  };
}

const g = globalThis as unknown as { Page?: unknown; Component: (definition: unknown) => void };
g.Page = (options: Record<string, unknown>) => g.Component(pageAsComponent(options));

/**
 * The rxroom SDK as the pages load it: the packed `miniprogram_npm/rxroom`, one module instance with
 * the pages' and the components' (so `getClient()` sees the client a page registered).
 */
export function packedSdk(root: string = MINIPROGRAM_ROOT): typeof Rxroom {
  const file = lookup.resolveInMiniprogram('rxroom', root, root);
  if (!file) throw new Error(`no miniprogram_npm/rxroom under ${root}: run \`npm run examples:pack\``);
  return jest.requireActual<typeof Rxroom>(file);
}

/**
 * Each `usingComponents` entry of a page, found as the mini program finds it (a path in the mini
 * program, or an npm component in miniprogram_npm/), as a path from the mini program root.
 */
export function usingComponentsOf(pageDir: string, root: string): Record<string, string> {
  const json = JSON.parse(readFileSync(path.join(pageDir, 'index.json'), 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const found: Record<string, string> = {};
  for (const [tag, request] of Object.entries(json.usingComponents ?? {})) {
    const file = lookup.resolveInMiniprogram(request, pageDir, root, ['.json']);
    if (!file) throw new Error(`${tag}: component ${request} not found from ${pageDir}`);
    found[tag] =
      '/' +
      path
        .relative(root, file)
        .replace(/\.json$/, '')
        .split(path.sep)
        .join('/');
  }
  return found;
}

/**
 * Loads `pages/<name>/index` of a mini program (a .ts page through ts-jest, a .js page as it is),
 * with its components from miniprogram_npm/.
 */
export function loadPage(name: string, root: string = MINIPROGRAM_ROOT): string {
  const pageDir = path.join(root, 'pages', name);
  return loadComponent(path.join(pageDir, 'index'), `${name}-page`, {
    rootPath: root,
    usingComponents: usingComponentsOf(pageDir, root),
  });
}

/**
 * Renders a page; `attach` runs its onLoad with `query` (values as WeChat passes them: still
 * percent-encoded).
 */
export function renderPage(id: string, query: Query = {}): SimRoot {
  const comp = simulate.render(id, {});
  const attach = comp.attach.bind(comp);
  comp.attach = (parent) => {
    pendingQuery = query;
    try {
      attach(parent);
    } finally {
      pendingQuery = {};
    }
  };
  return comp;
}

/**
 * The room page's query as the lobby builds it (percent-encoded, as WeChat hands it to onLoad),
 * with a token of the development secret for `user` in `room`.
 */
export async function roomQuery(server: string, room: string, user: string): Promise<Query> {
  const token = await createToken({ room, user, publish: true, subscribe: true });
  const query = { server, room, user, token };
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, encodeURIComponent(v)]));
}

/** The query of a page URL as WeChat hands it to onLoad (not decoded). */
export function queryOf(url: string): Query {
  const query: Query = {};
  for (const pair of (url.split('?')[1] ?? '').split('&')) {
    if (!pair) continue;
    const [key = '', value = ''] = pair.split('=');
    query[key] = value;
  }
  return query;
}
