/**
 * Reading values out of the yaml node tree while keeping their positions. Every check
 * reports into NodeReader.issues and carries on, so that one pass finds every problem.
 */
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node } from 'yaml';

import type { NumberRule } from './defaults.js';
import {
  GS_CONFIG_MISSING,
  GS_CONFIG_RANGE,
  GS_CONFIG_TYPE,
  GS_CONFIG_UNKNOWN_KEY,
  GS_CONFIG_YAML_SYNTAX,
  type ConfigIssue,
  type ConfigIssueCode,
} from './errors.js';
import { suggestKey } from './suggest.js';

/** Longest received value kept in an issue. Longer values are cut and end with "…". */
const MAX_VALUE_LENGTH = 60;

/** A key of a mapping that passed the key checks, with its value node. */
export interface MapEntry {
  keyNode: Scalar;
  valueNode: Node;
}

/** Joins a parent path and a key: `grid` + `lr_g` gives `grid.lr_g`. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export class NodeReader {
  readonly issues: ConfigIssue[] = [];

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Converts a 0-based source offset into a 1-based line and column. */
  positionOf(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /**
   * Follows an alias to its anchored node, so that issues about an aliased value point
   * at the anchor, where the value is written. An alias without an anchor is reported.
   */
  resolve(node: Node, path: string): Node | undefined {
    if (!isAlias(node)) return node;

    const target = node.resolve(this.doc);
    if (target === undefined) {
      this.report(GS_CONFIG_YAML_SYNTAX, path, node, `alias *${node.source} refers to no anchor; define &${node.source} on an earlier value`);
      return undefined;
    }
    return target as Node;
  }

  /** Returns the node's text as written: its first line, cut to MAX_VALUE_LENGTH characters. */
  sourceOf(node: Node): string {
    const range = node.range;
    if (!range) return '';

    const written = this.text.slice(range[0], range[1]).trimEnd();
    const firstLine = written.split(/\r?\n/)[0] ?? '';
    const cut = firstLine.length > MAX_VALUE_LENGTH ? firstLine.slice(0, MAX_VALUE_LENGTH) : firstLine;
    return cut.length < written.length ? `${cut}…` : cut;
  }

  /** Describes a received value for a message, such as `the string "0.001"` or `a list`. */
  describe(node: Node): string {
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (!isScalar(node)) return this.sourceOf(node);

    const value = node.value;
    if (value === null) {
      const written = this.sourceOf(node);
      if (written === '') return 'an empty value';
      return written === 'null' ? 'null' : `null (${written})`;
    }
    if (typeof value === 'boolean') return `the boolean ${this.sourceOf(node)}`;
    if (typeof value === 'string') {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      return `the string ${quoted ? this.sourceOf(node) : JSON.stringify(truncate(value))}`;
    }
    return this.sourceOf(node);
  }

  /** Records an issue at `at`, or at line 1, column 1 when there is no node (an empty document). */
  report(code: ConfigIssueCode, path: string, at: Node | null, message: string, value?: string): void {
    const offset = at?.range?.[0] ?? 0;
    this.issues.push({
      code,
      path,
      ...this.positionOf(offset),
      value: value ?? (at ? this.sourceOf(at) : ''),
      message,
    });
  }

  /** Records a missing key at the start of the mapping that should contain it. */
  reportMissing(path: string, parent: Node | null, message: string): void {
    this.report(GS_CONFIG_MISSING, path, parent, message, '');
  }

  /**
   * Reads a mapping whose keys must come from `validKeys`. Reports a node that is not a
   * mapping, non-string keys and unknown keys (with the nearest valid key), and skips the
   * second of two equal keys, which the yaml parser has already reported.
   * Returns undefined when the node is not a mapping.
   */
  readMap(node: Node, path: string, validKeys: readonly string[]): Map<string, MapEntry> | undefined {
    const where = path === '' ? 'at the top level' : `in ${path}`;
    const resolved = this.resolve(node, path);
    if (resolved === undefined) return undefined;
    if (!isMap(resolved)) {
      const subject = path === '' ? 'the sweep file' : path;
      this.report(GS_CONFIG_TYPE, path, resolved, `${subject} must be a mapping with keys ${validKeys.join(', ')}, received ${this.describe(resolved)}; write one "key: value" per line`);
      return undefined;
    }

    const entries = new Map<string, MapEntry>();
    const seenKeys = new Set<string>();
    for (const pair of resolved.items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode)) {
        this.report(GS_CONFIG_TYPE, path, keyNode ?? resolved, `keys ${where} must be plain names, received ${keyNode ? this.describe(keyNode) : 'no key'}; use one of ${validKeys.join(', ')}`);
        continue;
      }

      const key = keyNode.value === null ? '' : String(keyNode.value);
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);

      if (!validKeys.includes(key)) {
        const suggestion = suggestKey(key, validKeys);
        const fix = suggestion ? `did you mean "${suggestion}"?` : `allowed keys are ${validKeys.join(', ')}`;
        this.report(GS_CONFIG_UNKNOWN_KEY, childPath(path, key), keyNode, `unknown key "${key}" ${where}; ${fix}`);
        continue;
      }

      entries.set(key, { keyNode, valueNode: (pair.value as Node | null) ?? emptyValueAfter(keyNode) });
    }
    return entries;
  }

  /**
   * Reads a number that must satisfy `rule`, or reports why it does not and returns
   * undefined. `example` is a valid value offered in the fix, usually the default.
   */
  readNumber(node: Node, path: string, rule: NumberRule, example: number): number | undefined {
    const resolved = this.resolve(node, path);
    if (resolved === undefined) return undefined;

    const expected = `${path} must be ${rule.description}`;
    const received = this.describe(resolved);
    if (!isScalar(resolved)) {
      this.report(GS_CONFIG_TYPE, path, resolved, `${expected}, received ${received}; write a single number such as ${example}`);
      return undefined;
    }

    const value = resolved.value;
    if (typeof value === 'string') {
      const quoted = resolved.type === Scalar.QUOTE_DOUBLE || resolved.type === Scalar.QUOTE_SINGLE;
      const numeric = value.trim() !== '' && Number.isFinite(Number(value));
      const fix = quoted && numeric ? 'remove the quotes' : `write a number such as ${example}`;
      this.report(GS_CONFIG_TYPE, path, resolved, `${expected}, received ${received}; ${fix}`);
      return undefined;
    }
    if (typeof value !== 'number') {
      this.report(GS_CONFIG_TYPE, path, resolved, `${expected}, received ${received}; write a number such as ${example}`);
      return undefined;
    }
    if (!Number.isFinite(value)) {
      this.report(GS_CONFIG_TYPE, path, resolved, `${expected}, received ${received}; write a finite number such as ${example}`);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(value)) {
      this.report(GS_CONFIG_TYPE, path, resolved, `${expected}, received ${received}; write a whole number such as ${example}`);
      return undefined;
    }

    const aboveMin = rule.minInclusive ? value >= rule.min : value > rule.min;
    const belowMax = rule.maxInclusive ? value <= rule.max : value < rule.max;
    if (!aboveMin || !belowMax) {
      // Name the safe-integer ceiling of integer rules only to a value above it.
      const bounds = belowMax && rule.max === Number.MAX_SAFE_INTEGER ? { ...rule, max: Infinity } : rule;
      this.report(GS_CONFIG_RANGE, path, resolved, `${expected}, received ${received}; use a value ${describeBounds(bounds)}`);
      return undefined;
    }
    return value;
  }
}

/** States a rule's bounds with comparison signs, such as "≥ 0 and < 1". */
export function describeBounds(rule: NumberRule): string {
  const bounds: string[] = [];
  if (rule.min !== -Infinity) bounds.push(`${rule.minInclusive ? '≥' : '>'} ${rule.min}`);
  if (rule.max !== Infinity) bounds.push(`${rule.maxInclusive ? '≤' : '<'} ${rule.max}`);
  return bounds.join(' and ');
}

/** Creates the empty value of an explicit `? key` that has no `:`, placed right after the key. */
function emptyValueAfter(keyNode: Scalar): Scalar {
  const empty = new Scalar(null);
  const end = keyNode.range?.[1] ?? 0;
  empty.range = [end, end, end];
  return empty;
}

function truncate(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}
