/**
 * Every frame type of the protocol, end to end: a tour of a room that sends every request type
 * (FRAME_TYPES.requests) with success and makes the server send every push type
 * (FRAME_TYPES.pushes). The support client records what it saw, checks each frame against the
 * schemas and the seq rule; this test fails when a type was never exercised, so a frame type added
 * to the protocol without server support (and a test) cannot go unnoticed.
 */
import { FRAME_TYPES } from '../../src/protocol';
import type { RunningServer } from '../../server';
import { Client, closeClients, exercised, http, startTestServer, token } from './support';

let server: RunningServer;

beforeAll(async () => {
  // A grace window long enough for bob to resume in, however loaded the machine.
  server = await startTestServer({ adminSecret: 'admin', mediaTokenTtl: 300, grace: 10_000 });
});
afterAll(async () => {
  await closeClients();
  await server.close();
});

it('a tour of one room exercises every request and every push type', async () => {
  const r = 'tour';
  const { client: alice } = await Client.join(server, r, 'alice');
  const { client: bob, ack: bobAck } = await Client.join(server, r, 'bob');
  await alice.next('peer-joined');

  await bob.ok('publish', { audio: true, video: true });
  await alice.next('stream-added');
  await alice.ok('subscribe', { stream: 'bob:main' });
  await alice.ok('mute-remote', { stream: 'bob:main', audio: true });
  await bob.ok('mute-local', { stream: 'bob:main', video: true });
  await alice.next('stream-updated');
  await alice.next('url-updated'); // the play URL's media token is refreshed
  await alice.ok('unsubscribe', { stream: 'bob:main' });
  await bob.ok('unpublish', { stream: 'bob:main' });
  await alice.next('stream-removed');

  await bob.ok('set-business-id', { businessId: 'b' });
  await alice.next('peer-updated');
  await bob.ok('set-role', { role: 'audience' });
  await bob.ok('set-visibility', { visible: false });
  await alice.next('peer-left');
  await bob.ok('set-visibility', { visible: true });

  await alice.ok('attrs-set', { attributes: { k: 'v' } });
  await bob.next('attributes-changed');
  await alice.ok('attrs-get', { keys: ['k'] });
  await alice.ok('attrs-delete', { keys: ['k'] });
  await alice.ok('message', { name: 'chat', content: 'hi', to: 'bob' });
  await bob.next('message');
  await alice.ok('report', { report: { kind: 'pusher-state', code: 0 } });
  await alice.sync(); // ping

  await alice.ok('publish', { audio: true, video: true });
  await http(server, 'POST', `/admin/rooms/${r}/streams/alice:main/fail`, { secret: 'admin', body: {} });
  await alice.next('stream-failed');

  // A token with less left than the server's lead (60 s by default) is warned about at once.
  const { client: carol } = await Client.join(server, r, 'carol', {}, { exp: 30 });
  await carol.next('token-expiring');
  await carol.ok('renew-token', { token: await token(r, 'carol') });
  // bob's socket drops: alice sees him reconnecting; he resumes within the grace window.
  bob.drop();
  await alice.next('peer-reconnecting');
  const back = await Client.open(server.url);
  await back.ok('join', {
    token: await token(r, 'bob'),
    room: r,
    user: 'bob',
    resume: { session: bobAck.session, seq: bob.lastSeq as number },
  });
  await alice.next('peer-reconnected');

  await Client.join(server, r, 'bob'); // replaces bob's session
  await back.next('kicked');
  await alice.ok('leave', {});

  const requests = [...exercised.requests].sort();
  const pushes = [...exercised.pushes].sort();
  expect(requests).toEqual([...FRAME_TYPES.requests].sort());
  expect(pushes).toEqual([...FRAME_TYPES.pushes].sort());
});
