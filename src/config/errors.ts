/**
 * Errors of the sweep file. Validation collects every problem in one pass and throws a
 * single ConfigError that carries them all as ConfigIssues, each with a stable code and
 * the 1-based line and column of the offending node.
 */

/** The file is not valid YAML. The message is the yaml parser's own. */
export const GS_CONFIG_YAML_SYNTAX = 'GS_CONFIG_YAML_SYNTAX';
/** A mapping contains the same key twice (detected by the yaml parser). */
export const GS_CONFIG_DUPLICATE_KEY = 'GS_CONFIG_DUPLICATE_KEY';
/** A key that the sweep format does not define, usually a typo. */
export const GS_CONFIG_UNKNOWN_KEY = 'GS_CONFIG_UNKNOWN_KEY';
/** A value of the wrong kind: a string, boolean, null, list or mapping where a number is expected, a fraction where an integer is expected, or NaN/±Inf. */
export const GS_CONFIG_TYPE = 'GS_CONFIG_TYPE';
/** A value of the right kind outside its allowed range or pattern, or a grid too large to run. */
export const GS_CONFIG_RANGE = 'GS_CONFIG_RANGE';
/** A list that must contain at least one value is empty. */
export const GS_CONFIG_EMPTY_LIST = 'GS_CONFIG_EMPTY_LIST';
/** The weights of the target components do not sum to 1. */
export const GS_CONFIG_WEIGHTS_SUM = 'GS_CONFIG_WEIGHTS_SUM';
/** A required key is absent. */
export const GS_CONFIG_MISSING = 'GS_CONFIG_MISSING';
/** The same value appears twice in a grid list or in the seeds list. */
export const GS_CONFIG_DUPLICATE_VALUE = 'GS_CONFIG_DUPLICATE_VALUE';
/** The sweep file cannot be read. */
export const GS_CONFIG_FILE = 'GS_CONFIG_FILE';

export const CONFIG_ISSUE_CODES = [
  GS_CONFIG_YAML_SYNTAX,
  GS_CONFIG_DUPLICATE_KEY,
  GS_CONFIG_UNKNOWN_KEY,
  GS_CONFIG_TYPE,
  GS_CONFIG_RANGE,
  GS_CONFIG_EMPTY_LIST,
  GS_CONFIG_WEIGHTS_SUM,
  GS_CONFIG_MISSING,
  GS_CONFIG_DUPLICATE_VALUE,
  GS_CONFIG_FILE,
] as const;

export type ConfigIssueCode = (typeof CONFIG_ISSUE_CODES)[number];

/** Code of every ConfigError. The individual problems carry their own codes. */
export const GS_CONFIG_INVALID = 'GS_CONFIG_INVALID';

/** One problem in a sweep file. */
export interface ConfigIssue {
  code: ConfigIssueCode;
  /** YAML path of the offending node, such as `grid.lr_g[1]`, or empty for the whole document or file. */
  path: string;
  /** 1-based line of the offending node, or 0 when the issue has no position (GS_CONFIG_FILE). */
  line: number;
  /** 1-based column of the offending node, or 0 when the issue has no position. */
  column: number;
  /** The received value as written in the file, quotes included, or empty for a missing key. */
  value: string;
  message: string;
}

/** Every problem found in one sweep file. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = GS_CONFIG_INVALID;

  constructor(
    /** The path or label of the sweep file, as given to the loader. */
    readonly sourceName: string,
    /** Problems in file order. */
    readonly issues: ConfigIssue[],
    /** The file text, when it was read, so that formatConfigError can show source lines. */
    readonly sourceText?: string,
  ) {
    super(summarizeIssues(sourceName, issues));
  }
}

function summarizeIssues(sourceName: string, issues: ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((issue) => `  ${issueLocation(sourceName, issue)}  ${issue.code}  ${issue.message}`);
  return [`invalid sweep file ${sourceName}: ${count}`, ...lines].join('\n');
}

function issueLocation(sourceName: string, issue: ConfigIssue): string {
  return issue.line > 0 ? `${sourceName}:${issue.line}:${issue.column}` : sourceName;
}

/**
 * Formats every issue of a ConfigError the way the yaml CLI prints its errors:
 * `file:line:col  CODE  message`, then the source line with carets under the value.
 * The source lines come from `sourceText`, else from the text stored in the error.
 */
export function formatConfigError(error: ConfigError, sourceText?: string): string {
  const text = sourceText ?? error.sourceText;
  const sourceLines = text === undefined ? [] : text.split(/\r?\n/);
  const blocks: string[] = [];

  for (const issue of error.issues) {
    const header = `${issueLocation(error.sourceName, issue)}  ${issue.code}  ${issue.message}`;
    const sourceLine = issue.line > 0 ? sourceLines[issue.line - 1] : undefined;
    if (sourceLine === undefined) {
      blocks.push(header);
      continue;
    }

    blocks.push([header, sourceLine, caretLine(sourceLine, issue)].join('\n'));
  }

  return blocks.join('\n\n');
}

/** Builds the marker line: carets under the value, with tabs kept so that they line up. */
function caretLine(sourceLine: string, issue: ConfigIssue): string {
  const start = Math.min(issue.column - 1, sourceLine.length);
  const indent = sourceLine.slice(0, start).replace(/[^\t]/g, ' ');
  const valueOnLine = issue.value.split('\n')[0] ?? '';
  const width = Math.max(1, Math.min(valueOnLine.length, sourceLine.length - start));
  return indent + '^'.repeat(width);
}
