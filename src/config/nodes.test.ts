import { isMap, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { describe, expect, test } from 'vitest';

import { FINITE_NUMBER, POSITIVE_INTEGER, SEED } from './defaults.js';
import { GS_CONFIG_TYPE } from './errors.js';
import { childPath, describeBounds, NodeReader } from './nodes.js';

/** Parses `text` and returns a reader and the value nodes of its top-level mapping by key. */
function readerFor(text: string): { reader: NodeReader; values: Map<string, Node> } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const values = new Map<string, Node>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items as Pair<{ value: string }, Node>[]) values.set(pair.key.value, pair.value!);
  }
  return { reader: new NodeReader(doc, text, lineCounter), values };
}

describe('NodeReader.describe', () => {
  test.each([
    ['a: "x y"', 'the string "x y"'],
    ["a: 'x'", "the string 'x'"],
    ['a: x y', 'the string "x y"'],
    ['a: 12.5', '12.5'],
    ['a: 0x1F', '0x1F'],
    ['a: True', 'the boolean True'],
    ['a: null', 'null'],
    ['a: ~', 'null (~)'],
    ['a:', 'an empty value'],
    ['a: [1]', 'a list'],
    ['a: {b: 1}', 'a mapping'],
  ])('%s', (text, expected) => {
    const { reader, values } = readerFor(text);
    expect(reader.describe(values.get('a')!)).toBe(expected);
  });
});

describe('NodeReader.sourceOf', () => {
  test('long value cut', () => {
    const { reader, values } = readerFor(`a: ${'x'.repeat(100)}\n`);
    expect(reader.sourceOf(values.get('a')!)).toBe(`${'x'.repeat(60)}…`);
  });

  test('block value keeps first line', () => {
    const { reader, values } = readerFor('a:\n  - 1\n  - 2\n');
    expect(reader.sourceOf(values.get('a')!)).toBe('- 1…');
  });
});

describe('NodeReader.readNumber', () => {
  test('hex integer accepted', () => {
    const { reader, values } = readerFor('a: 0x10\n');
    expect(reader.readNumber(values.get('a')!, 'a', POSITIVE_INTEGER, 1)).toBe(16);
    expect(reader.issues).toEqual([]);
  });

  test('negative mean accepted', () => {
    const { reader, values } = readerFor('a: -6\n');
    expect(reader.readNumber(values.get('a')!, 'a', FINITE_NUMBER, 0)).toBe(-6);
  });

  test('integer beyond 2^53 rejected', () => {
    const { reader, values } = readerFor('a: 9007199254740993\n');
    expect(reader.readNumber(values.get('a')!, 'a', POSITIVE_INTEGER, 1)).toBeUndefined();
    expect(reader.issues[0]!.message).toBe('a must be a positive integer, received 9007199254740993; use a value > 0 and ≤ 9007199254740991');
  });

  test('unknown tag read as string', () => {
    const { reader, values } = readerFor('a: !custom 3\n');
    expect(reader.readNumber(values.get('a')!, 'a', SEED, 0)).toBeUndefined();
    expect(reader.issues[0]!.code).toBe(GS_CONFIG_TYPE);
  });
});

describe('describeBounds', () => {
  test('open interval', () => {
    expect(describeBounds({ integer: false, min: 0, minInclusive: false, max: 1, maxInclusive: true, description: '' })).toBe('> 0 and ≤ 1');
  });

  test('unbounded rule', () => {
    expect(describeBounds(FINITE_NUMBER)).toBe('');
  });
});

describe('childPath', () => {
  test('joins with dot', () => {
    expect(childPath('grid', 'lr_g')).toBe('grid.lr_g');
    expect(childPath('', 'name')).toBe('name');
  });
});
