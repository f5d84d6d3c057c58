/**
 * Runs the example's pages under miniprogram-simulate, which knows components but not pages: a
 * `Page(options)` call becomes a component whose `attached` plays `onLoad(query)` + `onShow` and
 * whose `detached` plays `onUnload`, the order WeChat uses. Function fields become methods, as on a
 * real page instance; `data` is copied, as WeChat copies it per page.
 *
 * The page's `usingComponents` name the npm package (`rxroom/components/…`), which WeChat resolves
 * through miniprogram_npm; here they are pointed at the component sources.
 */
import * as path from 'path';
import { loadComponent, simulate, type SimRoot } from '../../../../test/components/support/simulate';

type Query = Record<string, string | undefined>;
type Hook = (this: PageThis, ...args: unknown[]) => unknown;
interface PageThis {
  onLoad?: Hook;
  onShow?: Hook;
  onHide?: Hook;
  onReady?: Hook;
  onUnload?: Hook;
}

const repo = path.join(__dirname, '../../../..');
const pages = path.join(__dirname, '../../miniprogram/pages');
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

/** Loads `pages/<name>/index` (its .ts through ts-jest) with the SDK's components from source. */
export function loadPage(name: 'lobby' | 'room'): string {
  return loadComponent(path.join(pages, name, 'index'), `${name}-page`, {
    rootPath: repo,
    usingComponents: {
      'rx-player': '/src/components/rx-player/index',
      'rx-pusher': '/src/components/rx-pusher/index',
    },
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
