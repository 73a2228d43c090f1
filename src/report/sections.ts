/** The sections of the report page: summary, leaderboard, top configurations and the overview charts. */
import type { TopLevelSpec } from 'vega-lite';

import type { LeaderboardRow } from '../leaderboard/leaderboard.js';
import type { SweepResultFiles } from '../results/sweepResultFiles.js';
import { HYPERPARAMETER_KEYS, type Target } from '../shared/types.js';
import {
  checkpointW1Chart,
  densityChart,
  discriminatorChart,
  hyperparameterChart,
  lossChart,
  seedSpreadChart,
  SHARED_DATA,
} from './charts.js';
import { escapeHtml, formatDuration, formatNumber, type PageChart } from './html.js';
import { leaderboardTable } from './leaderboardTable.js';
import {
  bestTrial,
  checkpointRows,
  densityData,
  discriminatorRows,
  lossRows,
  summarize,
  variedKeys,
} from './reportData.js';
import { compileChart } from './vega.js';

/** Compiles charts as sections add them and gives each a container id. */
export class ChartCollector {
  readonly charts: PageChart[] = [];
  readonly warnings: string[] = [];

  /** Compiles `spec` and returns the HTML of its container. */
  add(spec: TopLevelSpec, datasets: string[] = []): string {
    const id = `chart-${this.charts.length + 1}`;
    const compiled = compileChart(spec);
    this.charts.push({ id, spec: compiled.spec, datasets });
    this.warnings.push(...compiled.warnings.map((warning) => `${id}: ${warning}`));
    return `<div class="chart" id="${id}"></div>`;
  }
}

function describeTarget(target: Target): string {
  return target.components
    .map((component) => `${formatNumber(component.weight)}·N(${formatNumber(component.mean)}, ${formatNumber(component.variance)})`)
    .join(' + ');
}

function definitionList(entries: Array<[string, string]>): string {
  return `<dl class="summary">${entries.map(([term, html]) => `<dt>${escapeHtml(term)}</dt><dd>${html}</dd>`).join('')}</dl>`;
}

export function summarySection(results: SweepResultFiles): string {
  const { sweep, leaderboard } = results;
  const summary = summarize(results);
  const varied = new Set(variedKeys(results));
  const fixed = HYPERPARAMETER_KEYS.filter((key) => !varied.has(key)).map((key) => `${key} ${sweep.grid[key][0]}`);
  const statuses = summary.statuses.map(([status, count]) => `${count} ${status}`).join(', ');
  const backends = summary.backends.map(([backend, count]) => `${backend} (${count} trials)`).join(', ');
  // trials.jsonl lists only trials with a result, so a sweep that stopped early has fewer.
  const planned = sweep.configs.length * sweep.seeds.length;
  const trialCount = summary.trials === planned ? String(planned) : `${summary.trials} of ${planned} with a result`;

  return `<h2>Summary</h2>
${definitionList([
  ['grid file', escapeHtml(results.gridFile ?? 'not recorded in sweep.yaml')],
  ['trials', escapeHtml(`${trialCount} (${sweep.configs.length} configurations × ${sweep.seeds.length} seeds): ${statuses || 'none'}`)],
  ['backends', escapeHtml(backends || 'none')],
  ['training time', escapeHtml(`${formatDuration(summary.trialMilliseconds)} summed over trials; the longest trial took ${formatDuration(summary.longestTrialMilliseconds)}`)],
  ['varied', escapeHtml([...varied].map((key) => `${key} ∈ {${sweep.grid[key].join(', ')}}`).join('; ') || 'nothing')],
  ['fixed', escapeHtml(fixed.join(', ') || 'nothing')],
  ['target', escapeHtml(`${describeTarget(sweep.target)} (second argument: variance)`)],
  ['evaluation', escapeHtml(`${sweep.eval.samples} generated samples at ${sweep.eval.checkpoints} checkpoints; a seed succeeds when its final W1 < ${formatNumber(leaderboard.successW1)}; mean-W1 tie tolerance ${formatNumber(leaderboard.tieTolerance)}`)],
])}
<details><summary>Resolved grid (sweep.yaml)</summary><pre>${escapeHtml(results.resolvedSweepYaml)}</pre></details>`;
}

export function leaderboardSection(results: SweepResultFiles, topConfigs: Set<string>): string {
  return `<h2>Leaderboard</h2>
<p class="note">Click a column header to sort by it; click again to reverse. W1 is the Wasserstein-1 distance between the final generated samples and the target, in units of x.</p>
${leaderboardTable(results.leaderboard.rows, variedKeys(results), topConfigs)}`;
}

function configSection(results: SweepResultFiles, row: LeaderboardRow, charts: ChartCollector): string {
  const varied = variedKeys(results);
  const settings = varied.map((key) => `${key} ${row.config[key]}`).join(', ');
  const heading = `<h3 id="config-${escapeHtml(row.configId)}">#${row.rank} ${escapeHtml(row.configId)}${settings ? ` — ${escapeHtml(settings)}` : ''}</h3>`;
  const trial = bestTrial(results, row);
  if (trial === null || trial.metrics === null) {
    return `${heading}\n<p class="note">No seed of this configuration finished, so there is nothing to plot.</p>`;
  }

  const metrics = trial.metrics;
  const panels: string[] = [];
  if (metrics.plots !== undefined) {
    panels.push(charts.add(densityChart(densityData(metrics.plots, results.sweep.target))));
    panels.push(charts.add(discriminatorChart(discriminatorRows(metrics.plots))));
  }
  panels.push(charts.add(lossChart(lossRows(metrics.lossHistory))));
  panels.push(charts.add(checkpointW1Chart(checkpointRows(metrics.checkpoints), results.leaderboard.successW1)));

  const missingPlots = metrics.plots === undefined
    ? ' This trial has no recorded histogram or D(x), because it was trained by a version of gansweep that did not record them.'
    : '';
  return `${heading}
<p class="note">Best seed ${trial.seed}: final W1 ${formatNumber(metrics.w1)}, KS ${formatNumber(metrics.ks)}, mean ${formatNumber(metrics.mean)}, std ${formatNumber(metrics.std)}.${missingPlots}</p>
<div class="panels">${panels.join('')}</div>`;
}

export function topConfigsSection(results: SweepResultFiles, rows: LeaderboardRow[], charts: ChartCollector): string {
  return `<h2>Top ${rows.length} configurations</h2>
<p class="note">Each configuration is shown by its best seed. The histogram and D(x) come from the final evaluation; the losses are averaged over blocks of steps.</p>
${rows.map((row) => configSection(results, row, charts)).join('\n')}`;
}

export function overviewSection(results: SweepResultFiles, charts: ChartCollector): string {
  const successW1 = results.leaderboard.successW1;
  const unfinished = results.trials.filter((trial) => trial.status !== 'done').length;
  const note = unfinished > 0
    ? `${unfinished} trials that did not finish (failed, diverged or timed out) are not plotted, but the leaderboard counts them.`
    : 'Every trial finished.';
  const seedSpread = charts.add(seedSpreadChart(successW1), [SHARED_DATA.trials, SHARED_DATA.configMeans]);
  const perKey = variedKeys(results).map((key) => charts.add(hyperparameterChart(key, results.sweep.grid[key].length, successW1), [SHARED_DATA.trials]));

  return `<h2>Every configuration</h2>
<p class="note">${escapeHtml(note)}</p>
${seedSpread}
<h2>W1 against each varied hyperparameter</h2>
${perKey.length > 0 ? `<div class="panels">${perKey.join('')}</div>` : '<p class="note">Every hyperparameter has a single value in this grid.</p>'}`;
}
