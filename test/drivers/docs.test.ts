/**
 * docs/drivers.md stays complete and in step with the code: a full capability matrix, an entry
 * point per driver in the build, and the fakes it names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { protocolDriver } from '../../src/bindings/protocol/protocol-driver';
import { nodePlatform } from '../../src/bindings/node-platform';
import { capabilityMatrix } from './conformance/capability-matrix';

const root = join(__dirname, '../..');
const docs = readFileSync(join(root, 'docs/drivers.md'), 'utf8');
const DRIVERS = ['rxroom', 'trtc', 'volcengine', 'agora', 'rongcloud'];
const COLUMNS = ['rxroom', 'trtc', 'volcengine', 'agora', 'agora (promise)', 'rongcloud'];

describe('docs/drivers.md', () => {
  it('has a cell for every capability of every driver', () => {
    // The built-in driver has every capability there is.
    const all = [...protocolDriver({ url: 'ws://unused', platform: nodePlatform() }).capabilities].sort();
    const matrix = capabilityMatrix();
    expect([...matrix.keys()]).toEqual(COLUMNS);
    for (const driver of COLUMNS) {
      expect({ driver, capabilities: [...matrix.get(driver)!.keys()].sort() }).toEqual({
        driver,
        capabilities: all,
      });
    }
  });

  it('names an entry point that the build has, for every vendor driver', () => {
    const rollup = readFileSync(join(root, 'rollup.config.mjs'), 'utf8');
    for (const driver of DRIVERS.slice(1)) {
      expect(docs).toContain(`rxroom/drivers/${driver}`);
      expect(rollup).toContain(`'drivers/${driver}': 'src/bindings/drivers/${driver}.ts'`);
      expect(existsSync(join(root, `src/bindings/drivers/${driver}.ts`))).toBe(true);
    }
    expect(rollup).toContain(`'drivers/kit': 'src/bindings/drivers/kit/index.ts'`);
  });

  it('names fakes that exist', () => {
    const named = [...docs.matchAll(/fakes\/([a-z-]+\.ts)/g)].map((m) => m[1]!);
    expect(new Set(named)).toEqual(
      new Set(['fake-trtc.ts', 'fake-volcengine.ts', 'fake-agora.ts', 'fake-rongcloud.ts']),
    );
    for (const file of named) expect(existsSync(join(__dirname, 'fakes', file))).toBe(true);
  });
});
