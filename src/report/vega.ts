/**
 * Vega-Lite compilation in Node and the Vega runtime for the page. Charts are compiled to
 * Vega here, so the page only needs the Vega runtime (about 0.5 MB minified, inlined)
 * and a Vega-Lite mistake fails when the report is written, not in the reader's browser.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { LoggerInterface, Spec as VegaSpec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CompiledChart {
  spec: VegaSpec;
  /** Vega-Lite's warnings, such as a field that no data row has. */
  warnings: string[];
}

/** Creates a Vega-Lite logger that keeps warnings instead of printing them to the console. */
function collectingLogger(warnings: string[]): LoggerInterface {
  let level = 2;
  const logger: LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(`Vega-Lite failed to compile a report chart: ${args.join(' ')}`);
    },
    warn(...args: unknown[]) {
      warnings.push(args.join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

export function compileChart(spec: TopLevelSpec): CompiledChart {
  const warnings: string[] = [];
  const compiled = compile(spec, { logger: collectingLogger(warnings) });
  return { spec: compiled.spec, warnings };
}

/**
 * Reads the minified browser build of Vega. The package exports only its ES module, so the
 * build is found next to the file that the package's main entry resolves to.
 */
export function vegaBrowserScript(): string {
  const moduleEntry = createRequire(import.meta.url).resolve('vega');
  return readFileSync(join(dirname(moduleEntry), 'vega.min.js'), 'utf8');
}
