/**
 * Smoke test of `npm start`: the whole story, fast, against the real server on 127.0.0.1,
 * checking that it reaches every milestone in order.
 */
import { startServer } from '../../server';
import { finishedLine, MILESTONES, startStory, type Milestone } from './story';

it('plays the whole story and reaches every milestone in order', async () => {
  const reached: Milestone[] = [];
  const log: string[] = [];
  const story = await startStory({
    pace: 20,
    onMilestone: (m) => reached.push(m),
    onLog: (l) => log.push(l),
  });
  try {
    await story.done;
  } finally {
    await story.stop();
  }
  expect(reached).toEqual([...MILESTONES]);
  // the view's client really went through reconnecting → resumed, and was restored after the restart
  const guestA = log.filter((l) => l.startsWith('guest-a: connection'));
  expect(guestA).toEqual(
    expect.arrayContaining(['guest-a: connection resumed', 'guest-a: connection rejoined']),
  );
  const delays = log
    .filter((l) => l.startsWith('guest-a: connection reconnecting'))
    .map((l) => /next in (\d+) ms/.exec(l)?.[1]);
  expect(delays.slice(0, 4)).toEqual(['0', '300', '1200', '2700']);
  expect(log).toContain('guest-b: kicked (kicked)');
}, 60_000);

it('with --media: real ffmpeg publishers through nginx-rtmp, streams live, bytes flowing; the kick drops guest-b’s media', async () => {
  const reached: Milestone[] = [];
  const log: string[] = [];
  const story = await startStory({
    pace: 20,
    media: true,
    onMilestone: (m) => reached.push(m),
    onLog: (l) => log.push(l),
  });
  try {
    await story.done;
    const media = story.media!;
    const stat = await media.stat();
    // Still pushing at the end: host and guest-a; guest-b's publisher was dropped at its kick.
    for (const id of ['host:main', 'guest-a:main']) {
      expect(stat.get(media.keyOf(id))).toMatchObject({ publisher: expect.any(String), width: 320 });
      expect(stat.get(media.keyOf(id))?.bytesIn).toBeGreaterThan(0);
    }
    expect(stat.get(media.keyOf('guest-b:main'))?.publisher).toBeUndefined();
  } finally {
    await story.stop();
  }
  expect(reached).toEqual([...MILESTONES]);
  expect(log).toContain('guest-a: stream host:main media live');
  // After the server restart the streams come back live, never pending.
  const afterRestart = log.slice(log.findIndex((l) => l.endsWith('connection rejoined')));
  expect(afterRestart).toContain('guest-a: stream host:main added (media live)');
  expect(afterRestart.some((l) => l.includes('(media pending)'))).toBe(false);
}, 180_000);

describe('against a server started elsewhere (--url)', () => {
  it('a refused token names the flag to pass: --secret', async () => {
    const server = await startServer({ port: 0, secret: 'not-the-dev-secret', adminSecret: 'adm' });
    const story = await startStory({ url: server.url, pace: 20 });
    try {
      const error = await story.done.then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(error)).toContain(`${server.url} refused the join (TOKEN_INVALID: `);
      expect(
        String(error).endsWith(
          `: pass the secret that server signs tokens with, npm start -- --url ${server.url} --secret S`,
        ),
      ).toBe(true);
    } finally {
      await story.stop();
      await server.close();
    }
  });

  it('with the right --secret it plays through; a refused admin secret names --admin-secret', async () => {
    const server = await startServer({ port: 0, secret: 'their-secret', adminSecret: 'their-admin' });
    const reached: Milestone[] = [];
    const story = await startStory({
      url: server.url,
      secret: 'their-secret',
      adminSecret: 'wrong',
      pace: 20,
      onMilestone: (m) => reached.push(m),
    });
    try {
      await expect(story.done).rejects.toThrow(
        /HTTP 401\): pass that server's admin secret with --admin-secret S$/,
      );
      // Every step up to the kick; no server restart (it is not the demo's own server).
      expect(reached).toEqual(MILESTONES.slice(0, MILESTONES.indexOf('resumed') + 1));
    } finally {
      await story.stop();
      await server.close();
    }
  }, 60_000);
});

it('the closing line says the demo finished, and how many steps', () => {
  expect(finishedLine([...MILESTONES], false)).toBe(
    '✔ rxroom demo finished: 12 of 12 steps done. `npm start -- --forever` keeps the room open.',
  );
  expect(finishedLine(MILESTONES.slice(0, 9), true)).toMatch(
    /^✔ rxroom demo finished: 9 of 12 steps done \(no server restart with --url\)\./,
  );
});
