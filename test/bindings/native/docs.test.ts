import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PLAYER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PUSHER_STATE_CODES,
  isPusherRoomCode,
  withMeanings,
  type NativeCodeInfo,
} from '../../../src/bindings/native';

const doc = readFileSync(join(__dirname, '../../../docs/native-events.md'), 'utf8');

/** The code rows of the table under `heading`: code → the other five cells. */
function tableUnder(heading: string): Map<number, string[]> {
  const start = doc.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', start + heading.length + 2);
  const section = doc.slice(start, next === -1 ? undefined : next);
  const rows = new Map<number, string[]>();
  for (const m of section.matchAll(/^\| (-?\d+) \| (.*?) \| (.*?) \| (.*?) \| (.*?) \| (.*?) \|$/gm)) {
    const code = Number(m[1]);
    expect(rows.has(code)).toBe(false);
    rows.set(code, m.slice(2));
  }
  return rows;
}

const ticked = (value: string | undefined) => (value === undefined ? '' : `\`${value}\``);

describe.each([
  [
    '## live-pusher `bindstatechange`',
    withMeanings('pusher-state'),
    (c: number) => (isPusherRoomCode(c) ? 'pusher-room' : 'pusher-state'),
  ],
  ['## live-pusher `binderror`', withMeanings('pusher-error'), () => 'pusher-error'],
  ['## live-player `bindstatechange`', withMeanings('player-state'), () => 'player-state'],
] as const)('docs/native-events.md %s', (heading, entries, eventType) => {
  const rows = tableUnder(heading);

  it('lists exactly the codes of the table', () => {
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(entries.map((e) => e.code).sort((a, b) => a - b));
  });

  it('states the same meaning, severity, remedy, error and event type', () => {
    for (const entry of entries) {
      expect({ code: entry.code, cells: rows.get(entry.code) }).toEqual({
        code: entry.code,
        cells: [
          entry.meaning,
          entry.severity,
          ticked(entry.remedy),
          ticked(entry.error),
          ticked(eventType(entry.code)),
        ],
      });
    }
  });
});

describe('docs/native-events.md remedies', () => {
  it('explains exactly the remedies the tables use', () => {
    const start = doc.indexOf('| remedy | what to do |');
    const section = doc.slice(start, doc.indexOf('\n\n', start));
    const documented = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    const all: readonly NativeCodeInfo[] = [
      ...PUSHER_STATE_CODES,
      ...PUSHER_ERROR_CODES,
      ...PLAYER_STATE_CODES,
    ];
    const used = new Set(all.map((e) => e.remedy).filter((r) => r !== undefined));
    expect([...documented].sort()).toEqual([...used].sort());
  });
});
