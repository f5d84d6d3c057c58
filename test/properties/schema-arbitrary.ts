/**
 * fast-check arbitraries read off valibot schemas: every entry the schema has (optional ones
 * sometimes absent), strings at and near their limits, integers at their bounds. Generated from
 * the schema itself, so a field added to a schema shows up in the frames at once; a guard that
 * does not know it then outputs a different value and the agreement property fails.
 */
import fc from 'fast-check';
import * as v from 'valibot';

/** The parts of a valibot schema or action read here. */
interface Node {
  readonly kind: string;
  readonly type: string;
  readonly pipe?: readonly Node[];
  readonly entries?: Readonly<Record<string, Node>>;
  readonly wrapped?: Node;
  readonly item?: Node;
  readonly key?: Node | string;
  readonly value?: Node;
  readonly options?: readonly (Node | string | number)[];
  readonly literal?: unknown;
  readonly requirement?: unknown;
}

type Schema = v.GenericSchema<unknown, unknown>;

const requirement = (actions: readonly Node[], type: string): unknown =>
  actions.find((a) => a.type === type)?.requirement;

function stringArb(actions: readonly Node[]): fc.Arbitrary<string> {
  const min = (requirement(actions, 'min_length') as number | undefined) ?? 0;
  const max = (requirement(actions, 'max_length') as number | undefined) ?? 64;
  const regex = requirement(actions, 'regex') as RegExp | undefined;
  if (regex) {
    // Strings of the pattern, and ones at the length limit built from its first characters.
    const matching = fc.stringMatching(regex, { size: 'small' });
    return fc.oneof(
      { arbitrary: matching, weight: 4 },
      matching.map((s) => {
        const colon = s.indexOf(':');
        const head = colon < 0 ? s : s.slice(0, colon);
        const tail = colon < 0 ? '' : s.slice(colon);
        return head.repeat(Math.ceil(max / head.length)).slice(0, max - tail.length) + tail;
      }),
    );
  }
  const short = Math.min(max, Math.max(min, 24));
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: short, unit: 'grapheme-ascii' }), weight: 3 },
    { arbitrary: fc.string({ minLength: min, maxLength: short, unit: 'binary' }), weight: 3 },
    // at the limit, in ASCII and in astral characters (two UTF-16 units each)
    fc.constant('x'.repeat(max)),
    fc.constant('😀'.repeat(Math.floor(max / 2))),
  );
}

function integerArb(actions: readonly Node[]): fc.Arbitrary<number> {
  const min = (requirement(actions, 'min_value') as number | undefined) ?? -(2 ** 40);
  const max = (requirement(actions, 'max_value') as number | undefined) ?? 2 ** 40;
  return fc.oneof(
    fc.constantFrom(min, max),
    fc.integer({ min: Math.max(min, 0), max: Math.min(max, 1000) }),
    fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number),
  );
}

function nodeArb(node: Node, actions: readonly Node[]): fc.Arbitrary<unknown> {
  switch (node.type) {
    case 'string':
      return stringArb(actions);
    case 'number':
      return actions.some((a) => a.type === 'integer')
        ? integerArb(actions)
        : fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constant(node.literal);
    case 'picklist':
      return fc.constantFrom(...(node.options as readonly unknown[]));
    case 'unknown':
      return fc.jsonValue();
    case 'optional':
      return schemaArb(node.wrapped!);
    case 'array': {
      const min = (requirement(actions, 'min_length') as number | undefined) ?? 0;
      const max = (requirement(actions, 'max_length') as number | undefined) ?? 4;
      return fc.array(schemaArb(node.item!), { minLength: min, maxLength: Math.min(max, Math.max(min, 4)) });
    }
    case 'record':
      return fc
        .array(fc.tuple(schemaArb(node.key as Node), schemaArb(node.value!)), { maxLength: 4 })
        .map((pairs) => Object.fromEntries(pairs) as unknown);
    case 'object': {
      const entries = node.entries!;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, entry] of Object.entries(entries)) {
        model[key] = schemaArb(entry);
        if (entry.type !== 'optional') required.push(key);
      }
      return fc.record(model, { requiredKeys: required });
    }
    case 'variant':
      return fc.oneof(...(node.options as Node[]).map((o) => schemaArb(o)));
    default:
      throw new Error(`schema-arbitrary: no generator for valibot type "${node.type}"`);
  }
}

/** Values `schema` accepts, covering every entry it declares. */
export function schemaArb(schema: Schema | Node): fc.Arbitrary<unknown> {
  const node = schema as Node;
  const pipe = node.pipe ?? [node];
  // A pipe's first item is the schema; a `custom` first item is followed by the structural one.
  const structural =
    pipe[0]!.type === 'custom' ? (pipe.find((p, i) => i > 0 && p.kind === 'schema') ?? pipe[0]!) : pipe[0]!;
  const is = (x: unknown) => v.is(schema as Schema, x);
  // A pipe that starts with a piped schema: generate that one's values, keep those this one takes.
  if (structural !== node && structural.pipe) return schemaArb(structural).filter(is);
  return nodeArb(structural, pipe.slice(1)).filter(is);
}

/** Every object key any object of `schema` declares, nested ones included. */
export function declaredKeys(schema: Schema | Node, into = new Set<string>()): Set<string> {
  const node = schema as Node;
  for (const part of node.pipe ?? [node]) {
    if (part.entries) {
      for (const [key, entry] of Object.entries(part.entries)) {
        into.add(key);
        declaredKeys(entry, into);
      }
    }
    for (const child of [part.wrapped, part.item, part.value, ...((part.options ?? []) as unknown[])]) {
      if (child && typeof child === 'object') declaredKeys(child as Node, into);
    }
  }
  return into;
}
