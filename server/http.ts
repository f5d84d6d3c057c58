/**
 * The HTTP side of the server, on the same port as the WebSocket: `/health`, the admin API
 * (Bearer `adminSecret`), and when enabled `POST /dev/token` and the media hooks `POST /media/*`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import * as v from 'valibot';
import { RoomIdSchema, StreamIdSchema, UserIdSchema, describeIssues } from '../src/protocol';
import type { Hub } from './hub';
import { MEDIA_HOOKS, type MediaHook } from './media-hooks';
import type { ResolvedOptions } from './options';
import type { Admin } from './admin';
import { createToken } from './tokens';

/** Largest accepted request body. */
const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
}

function isMediaHook(name: string): name is MediaHook {
  return Object.prototype.hasOwnProperty.call(MEDIA_HOOKS, name);
}

function parse<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new HttpError(400, describeIssues(result.issues));
  return result.output;
}

/** Decodes one path segment; a malformed escape is the client's fault, not a server error. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
}

/** Compares secrets in constant time (hashing first makes the lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const KickBody = v.object({
  user: UserIdSchema,
  reason: v.optional(v.picklist(['kicked', 'banned'])),
  message: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

const FailBody = v.object({
  direction: v.optional(v.picklist(['push', 'play'])),
  user: v.optional(UserIdSchema),
  reason: v.optional(v.pipe(v.string(), v.maxLength(512))),
});

const DevTokenBody = v.object({
  room: RoomIdSchema,
  user: UserIdSchema,
  publish: v.optional(v.boolean()),
  subscribe: v.optional(v.boolean()),
  ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7 * 24 * 3600))),
});

/** Creates the request listener of the HTTP server. */
export function createHttpHandler(
  hub: Hub,
  admin: Admin,
  options: ResolvedOptions,
  log: Logger,
  /** Why the node cannot serve, if it cannot (a cluster node that stepped down): `/health` is 503. */
  unhealthy: () => string | undefined = () => undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    if (path === '/health') {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      const reason = unhealthy();
      if (reason !== undefined) {
        sendJson(res, 503, { ok: false, node: options.nodeId, reason });
        return;
      }
      sendJson(res, 200, {
        ok: true,
        node: options.nodeId,
        rooms: hub.rooms.size,
        sessions: hub.sessions.size,
      });
      return;
    }

    if (path === '/dev/token') {
      // Off unless asked for: it signs tokens for anyone who can reach the server.
      if (!options.devTokens)
        throw new HttpError(404, 'development tokens are off (start the server with --dev-tokens)');
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const body = parse(DevTokenBody, await readJson(req));
      const token = await createToken({ ...body, secret: options.secret, appId: options.appId });
      sendJson(res, 200, { token });
      return;
    }

    // nginx-rtmp's hooks: a form POST, answered 2xx (go on) or 403 (refuse, or drop the session).
    const hook = path.startsWith('/media/') ? path.slice('/media/'.length) : undefined;
    if (hook !== undefined && options.mediaHooks && isMediaHook(hook)) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const fields = [...new URLSearchParams(await readBody(req))];
      const verdict = await admin.mediaHook(hook, fields);
      res.writeHead(verdict.ok ? 200 : 403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(verdict.reason);
      return;
    }

    if (path === '/admin' || path.startsWith('/admin/')) {
      // Disabled admin looks like no admin at all.
      if (options.adminSecret === undefined) throw new HttpError(404, 'not found');
      const auth = req.headers.authorization ?? '';
      const match = /^Bearer (.+)$/.exec(auth);
      if (!match?.[1] || !sameSecret(match[1], options.adminSecret)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'missing or wrong admin secret');
      }
      await adminRoute(req, res, method, path.split('/').slice(2).map(decodePart));
      return;
    }
    throw new HttpError(404, 'not found');
  };

  const adminRoute = async (req: IncomingMessage, res: ServerResponse, method: string, parts: string[]) => {
    const [rooms, roomId, action, streamId, streamAction] = parts;
    if (rooms === 'stats' && parts.length === 1) {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      sendJson(res, 200, await admin.stats());
      return;
    }
    if (rooms !== 'rooms') throw new HttpError(404, 'not found');
    if (roomId === undefined) {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      sendJson(res, 200, { rooms: await admin.rooms() });
      return;
    }
    if (action === undefined) {
      if (method === 'GET') {
        const room = await admin.room(roomId);
        if (!room) throw new HttpError(404, `no room ${roomId}`);
        sendJson(res, 200, room);
      } else if (method === 'DELETE') {
        const closed = await admin.closeRoom(roomId);
        if (closed === undefined) throw new HttpError(404, `no room ${roomId}`);
        sendJson(res, 200, { ok: true, sessions: closed });
      } else throw new HttpError(405, 'use GET or DELETE');
      return;
    }
    if (action === 'kick' && parts.length === 3) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const body = parse(KickBody, await readJson(req));
      if (!(await admin.kick(roomId, body.user, body.reason, body.message)))
        throw new HttpError(404, `no user ${body.user} in room ${roomId}`);
      sendJson(res, 200, { ok: true });
      return;
    }
    // Media server hook: it gave up on a push (or on one viewer's play).
    if (action === 'streams' && streamId !== undefined && streamAction === 'fail' && parts.length === 5) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      parse(StreamIdSchema, streamId);
      const body = parse(FailBody, await readJson(req));
      const direction = body.direction ?? 'push';
      if (direction === 'play' && body.user === undefined)
        throw new HttpError(400, 'play failures name the user');
      const done = await admin.failStream(
        roomId,
        streamId,
        direction,
        body.reason ?? 'media server failure',
        body.user,
      );
      if (!done) throw new HttpError(404, `no such ${direction === 'push' ? 'stream' : 'subscription'}`);
      sendJson(res, 200, { ok: true });
      return;
    }
    throw new HttpError(404, 'not found');
  };

  return (req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) log.error({ err: e }, 'http request failed');
      const message = e instanceof HttpError ? e.message : 'internal error';
      if (!res.headersSent) sendJson(res, status, { ok: false, error: message });
      else res.destroy();
    });
  };
}
