/**
 * Node globals that jest's jsdom environment leaves out but the reference server needs when it runs
 * inside a component test (jose signs and checks tokens with TextEncoder, WebCrypto and
 * structuredClone). Import it before anything from server/.
 *
 * jsdom tests run in their own realm, and jose checks `instanceof Uint8Array` against this realm's
 * class, so the encoder copies Node's bytes into one of ours.
 */
import { TextDecoder, TextEncoder as NodeTextEncoder } from 'util';
import { webcrypto } from 'crypto';
import { deserialize, serialize } from 'v8';

const g = globalThis as Record<string, unknown>;

class RealmTextEncoder {
  readonly encoding = 'utf-8';
  private readonly inner = new NodeTextEncoder();
  encode(input = ''): Uint8Array {
    return new Uint8Array(this.inner.encode(input));
  }
}

g.TextEncoder ??= RealmTextEncoder;
g.TextDecoder ??= TextDecoder;
g.structuredClone ??= (value: unknown): unknown => deserialize(serialize(value));
if (!(g.crypto as { subtle?: unknown } | undefined)?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}
