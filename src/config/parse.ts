/** Entry points that turn a sweep file into a ResolvedSweep or one ConfigError listing every problem. */
import { readFileSync } from 'node:fs';

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';

import {
  ConfigError,
  GS_CONFIG_DUPLICATE_KEY,
  GS_CONFIG_FILE,
  GS_CONFIG_YAML_SYNTAX,
  type ConfigIssue,
} from './errors.js';
import { buildConfigs } from './expand.js';
import { childPath, NodeReader } from './nodes.js';
import type { ResolvedSweep } from './sweep.js';
import { validateSweep } from './validate.js';

/**
 * Reads and validates a sweep file.
 * Throws ConfigError with GS_CONFIG_FILE when the file cannot be read, or with every
 * problem found in its content.
 */
export function loadSweepFile(path: string): ResolvedSweep {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!isErrnoException(error)) throw error;
    throw new ConfigError(path, [fileIssue(path, error)]);
  }
  return parseSweep(text, path);
}

/**
 * Validates the text of a sweep file. `sourceName` labels it in messages and becomes
 * `sourceFile`. Throws ConfigError listing every problem in file order.
 */
export function parseSweep(text: string, sourceName: string): ResolvedSweep {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const reader = new NodeReader(doc, text, lineCounter);

  for (const error of doc.errors) reader.issues.push(issueFromYamlError(reader, doc.contents, text, error));

  // After a syntax error the node tree is only the parser's best guess, so checking it
  // would add misleading problems. A duplicate key leaves a sound tree, so keep going.
  const syntaxIsValid = doc.errors.every((error) => error.code === 'DUPLICATE_KEY');
  const settings = syntaxIsValid ? validateSweep(reader, doc.contents) : undefined;

  if (reader.issues.length > 0 || settings === undefined) {
    const issues = [...reader.issues].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(sourceName, issues, text);
  }
  return { ...settings, sourceFile: sourceName, configs: buildConfigs(settings.grid) };
}

function issueFromYamlError(reader: NodeReader, root: Node | null, text: string, error: YAMLError): ConfigIssue {
  const [start, end] = error.pos;
  const located = locateOffset(root, start, '');
  const position = reader.positionOf(start);
  const value = text.slice(start, end).split(/\r?\n/)[0] ?? '';

  if (error.code === 'DUPLICATE_KEY') {
    const keyValue = located.keyEnd === undefined ? value : text.slice(start, located.keyEnd);
    const first = located.firstKeyOffset === undefined ? '' : ` (first at line ${reader.positionOf(located.firstKeyOffset).line})`;
    const message = `${located.path || 'a key'} must appear once in its mapping, received it again${first}; remove one of them`;
    return { code: GS_CONFIG_DUPLICATE_KEY, path: located.path, ...position, value: keyValue, message };
  }

  const message = `invalid YAML: ${error.message}; fix the syntax at this position`;
  return { code: GS_CONFIG_YAML_SYNTAX, path: located.path, ...position, value, message };
}

/**
 * Finds the path of the deepest node around a source offset. When the offset is the
 * start of a mapping key, also returns where that key ends and the offset of an earlier
 * equal key, if any.
 */
function locateOffset(node: Node | null, offset: number, path: string): { path: string; keyEnd?: number; firstKeyOffset?: number } {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const keyName = isScalar(key) ? String(key.value) : '?';
      const keyPath = childPath(path, keyName);
      if (key?.range && key.range[0] === offset) {
        const first = node.items.find((other) => isScalar(other.key) && isScalar(key) && other.key.value === key.value);
        const firstOffset = (first?.key as Node | undefined)?.range?.[0];
        return { path: keyPath, keyEnd: key.range[1], firstKeyOffset: firstOffset !== offset ? firstOffset : undefined };
      }
      const value = pair.value as Node | null;
      if (value?.range && value.range[0] <= offset && offset < value.range[2]) return locateOffset(value, offset, keyPath);
    }
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const range = (item as Node | null)?.range;
      if (range && range[0] <= offset && offset < range[2]) return locateOffset(item as Node, offset, `${path}[${index}]`);
    }
  }
  return { path };
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function fileIssue(path: string, error: NodeJS.ErrnoException): ConfigIssue {
  const messages: Record<string, string> = {
    ENOENT: `sweep file not found: ${path}; check the path`,
    EISDIR: `sweep file ${path} is a directory; give the path of a YAML file`,
    EACCES: `sweep file ${path} could not be read: permission denied; check its permissions`,
  };
  const message = messages[error.code ?? ''] ?? `sweep file ${path} could not be read: ${error.message}`;
  return { code: GS_CONFIG_FILE, path: '', line: 0, column: 0, value: path, message };
}
