/**
 * Smoke test of `npm start`: the whole story, fast, against the real server on 127.0.0.1,
 * checking that it reaches every milestone in order.
 */
import { MILESTONES, startStory, type Milestone } from './story';

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
