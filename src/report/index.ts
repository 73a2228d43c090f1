/**
 * The HTML report of a finished sweep: one self-contained file, built only from the sweep
 * directory's result files, that a browser opens without network access.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { readSweepResultFiles, type SweepResultFiles } from '../results/sweepResultFiles.js';
import { escapeHtml, renderPage } from './html.js';
import { configMeanRows, finishedTrialRows } from './reportData.js';
import { SHARED_DATA } from './charts.js';
import { ChartCollector, leaderboardSection, overviewSection, summarySection, topConfigsSection } from './sections.js';
import { vegaBrowserScript } from './vega.js';

/** Name of the report inside the sweep directory. */
export const REPORT_FILE = 'report.html';
/** Default number of top configurations that get their own plots. */
export const DEFAULT_TOP_CONFIGS = 5;

export interface ReportOptions {
  /** Number of top-ranked configurations with their own plots; default DEFAULT_TOP_CONFIGS. */
  top?: number;
}

export interface Report {
  html: string;
  /** Vega-Lite's warnings about the charts, each prefixed with the chart's id; empty when every chart is sound. */
  warnings: string[];
  /** Number of charts on the page. */
  charts: number;
}

/** Builds the report page of a sweep's results. */
export function buildReport(results: SweepResultFiles, options: ReportOptions = {}): Report {
  const top = options.top ?? DEFAULT_TOP_CONFIGS;
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`report: top must be an integer ≥ 0, received ${top}`);

  const topRows = results.leaderboard.rows.slice(0, top);
  const charts = new ChartCollector();
  const title = `gansweep report: ${results.leaderboard.name}`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    summarySection(results),
    leaderboardSection(results, new Set(topRows.map((row) => row.configId))),
    topRows.length > 0 ? topConfigsSection(results, topRows, charts) : '',
    overviewSection(results, charts),
  ].join('\n');

  const html = renderPage({
    title,
    body,
    charts: charts.charts,
    datasets: {
      [SHARED_DATA.trials]: finishedTrialRows(results),
      [SHARED_DATA.configMeans]: configMeanRows(results),
    },
    vegaScript: vegaBrowserScript(),
  });
  return { html, warnings: charts.warnings, charts: charts.charts.length };
}

/**
 * Writes `<sweepDirectory>/report.html` from the directory's leaderboard.json, trials.jsonl
 * and sweep.yaml, and returns its path. Throws SweepResultsError when one is missing or invalid.
 */
export function writeReport(sweepDirectory: string, options: ReportOptions = {}): string {
  const { html } = buildReport(readSweepResultFiles(sweepDirectory), options);

  const path = join(sweepDirectory, REPORT_FILE);
  // A temporary sibling and a rename, so a browser never opens half a report.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, html);
  renameSync(temporary, path);
  return path;
}
