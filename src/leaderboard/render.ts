/** Text forms of a leaderboard: CSV, Markdown and a terminal table. */
import { HYPERPARAMETER_KEYS, type HyperparameterKey } from '../shared/types.js';
import type { Leaderboard, LeaderboardRow } from './leaderboard.js';

/** Number of significant digits shown for metrics in tables. */
const DIGITS = 4;

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(DIGITS)).toString();
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Keys whose value differs between configurations, in grid order. */
export function variedKeys(leaderboard: Leaderboard): HyperparameterKey[] {
  return HYPERPARAMETER_KEYS.filter(
    (key) => new Set(leaderboard.rows.map((row) => row.config[key])).size > 1,
  );
}

function seedsCell(row: LeaderboardRow): string {
  const parts = [`${row.trials.done}/${row.seeds.length}`];
  if (row.trials.diverged > 0) parts.push(`${row.trials.diverged} diverged`);
  if (row.trials.failed > 0) parts.push(`${row.trials.failed} failed`);
  if (row.trials.timedOut > 0) parts.push(`${row.trials.timedOut} timed out`);
  if (row.trials.missing > 0) parts.push(`${row.trials.missing} missing`);
  return parts.join(', ');
}

/** Renders one CSV line per configuration with every hyperparameter. An empty cell means "no value". */
export function leaderboardToCsv(leaderboard: Leaderboard): string {
  const header = [
    'rank', 'config_id', ...HYPERPARAMETER_KEYS, 'seeds', 'done', 'diverged', 'failed', 'timed_out', 'missing',
    'w1_mean', 'w1_std', 'w1_worst', 'success_rate', 'stability', 'best_seed',
  ];
  const lines = leaderboard.rows.map((row) =>
    [
      String(row.rank),
      row.configId,
      ...HYPERPARAMETER_KEYS.map((key) => String(row.config[key])),
      row.seeds.join(' '),
      String(row.trials.done),
      String(row.trials.diverged),
      String(row.trials.failed),
      String(row.trials.timedOut),
      String(row.trials.missing),
      row.w1.mean === null ? '' : String(row.w1.mean),
      row.w1.std === null ? '' : String(row.w1.std),
      row.w1.worst === null ? 'inf' : String(row.w1.worst),
      String(row.successRate),
      row.stability === null ? '' : String(row.stability.score),
      row.bestSeed === null ? '' : String(row.bestSeed),
    ].map(csvField).join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

/** Header and cells of the human-readable table shared by Markdown and the terminal. */
function tableCells(leaderboard: Leaderboard): { header: string[]; rows: string[][] } {
  const keys = variedKeys(leaderboard);
  const header = ['rank', 'config', ...keys, 'W1 mean', 'W1 std', 'W1 worst', 'success', 'stability', 'seeds'];
  const rows = leaderboard.rows.map((row) => [
    String(row.rank),
    row.configId,
    ...keys.map((key) => String(row.config[key])),
    formatNumber(row.w1.mean),
    formatNumber(row.w1.std),
    row.w1.worst === null ? '∞' : formatNumber(row.w1.worst),
    `${Math.round(row.successRate * 100)}%`,
    formatNumber(row.stability?.score),
    seedsCell(row),
  ]);
  return { header, rows };
}

function legend(leaderboard: Leaderboard): string {
  return (
    `W1 differences up to ${formatNumber(leaderboard.tieTolerance)} are ties (evaluation noise); ` +
    `success means W1 < ${formatNumber(leaderboard.successW1)}; lower stability is steadier.`
  );
}

export function leaderboardToMarkdown(leaderboard: Leaderboard): string {
  const { header, rows } = tableCells(leaderboard);
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const lines = [
    `# Leaderboard: ${leaderboard.name}`,
    '',
    legend(leaderboard),
    '',
    `| ${header.map(escape).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Renders a fixed-width table for the terminal, with numbers right-aligned. */
export function leaderboardToTable(leaderboard: Leaderboard): string {
  const { header, rows } = tableCells(leaderboard);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const numeric = header.map((_, column) => column !== 1 && column !== header.length - 1);
  const line = (cells: string[]) =>
    cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), '', legend(leaderboard)].join('\n') + '\n';
}
