/** The report's leaderboard as an HTML table whose columns sort when their header is clicked. */
import type { LeaderboardRow } from '../leaderboard/leaderboard.js';
import type { HyperparameterKey } from '../shared/types.js';
import { escapeHtml, formatNumber } from './html.js';

interface Column {
  title: string;
  /** Numeric columns sort by the cell's `data-sort` value, text columns by their text. */
  type: 'number' | 'text';
  /** Tooltip of the header. */
  description: string;
  /** The cell's HTML (escaped) and, for numeric columns, its sort key. */
  cell(row: LeaderboardRow): { html: string; sort?: number };
}

/** Returns the sort key of a W1 or stability score. A missing one means ∞, because no seed finished or one failed or diverged. */
function sortValue(value: number | null): number {
  return value ?? Number.POSITIVE_INFINITY;
}

/** Labels of the trial counts of a leaderboard row other than `done`, for the seeds column. */
const TRIAL_COUNT_LABELS: Record<string, string> = { timedOut: 'timed out' };

function seedsText(row: LeaderboardRow): string {
  const parts = [`${row.trials.done}/${row.seeds.length}`];
  // Every other count is listed, including kinds that newer versions of the leaderboard add.
  for (const [kind, count] of Object.entries(row.trials)) {
    if (kind !== 'done' && typeof count === 'number' && count > 0) parts.push(`${count} ${TRIAL_COUNT_LABELS[kind] ?? kind}`);
  }
  return parts.join(', ');
}

function columns(keys: HyperparameterKey[], linkedConfigs: Set<string>): Column[] {
  return [
    { title: 'rank', type: 'number', description: 'Rank on the leaderboard', cell: (row) => ({ html: String(row.rank), sort: row.rank }) },
    {
      title: 'configuration',
      type: 'text',
      description: 'Configuration id; a link leads to its plots',
      cell: (row) => ({
        html: linkedConfigs.has(row.configId)
          ? `<a href="#config-${escapeHtml(row.configId)}">${escapeHtml(row.configId)}</a>`
          : escapeHtml(row.configId),
      }),
    },
    ...keys.map((key): Column => ({
      title: key,
      type: 'number',
      description: `Value of ${key}`,
      cell: (row) => ({ html: escapeHtml(String(row.config[key])), sort: row.config[key] }),
    })),
    {
      title: 'seeds done',
      type: 'number',
      description: 'Finished seeds out of all seeds',
      cell: (row) => ({ html: escapeHtml(seedsText(row)), sort: row.trials.done / Math.max(1, row.seeds.length) }),
    },
    {
      title: 'W1 mean',
      type: 'number',
      description: 'Mean final W1 over finished seeds',
      cell: (row) => ({ html: formatNumber(row.w1.mean), sort: sortValue(row.w1.mean) }),
    },
    {
      title: 'W1 std',
      type: 'number',
      description: 'Standard deviation of the final W1 over finished seeds',
      cell: (row) => ({ html: formatNumber(row.w1.std), sort: sortValue(row.w1.std) }),
    },
    {
      title: 'W1 worst',
      type: 'number',
      description: 'Largest final W1 over all seeds; ∞ when a seed did not finish',
      cell: (row) => ({ html: formatNumber(row.w1.worst, '∞'), sort: sortValue(row.w1.worst) }),
    },
    {
      title: 'success',
      type: 'number',
      description: 'Share of seeds whose final W1 is below the success threshold',
      cell: (row) => ({ html: `${Math.round(row.successRate * 100)}%`, sort: row.successRate }),
    },
    {
      title: 'stability',
      type: 'number',
      description: 'Stability score; lower is steadier',
      cell: (row) => ({ html: formatNumber(row.stability?.score), sort: sortValue(row.stability?.score ?? null) }),
    },
    {
      title: 'best seed',
      type: 'number',
      description: 'Finished seed with the lowest final W1',
      cell: (row) => ({ html: row.bestSeed === null ? '–' : String(row.bestSeed), sort: sortValue(row.bestSeed) }),
    },
  ];
}

/**
 * Renders the leaderboard rows in rank order, with one column per varied hyperparameter.
 * Configuration ids in `linkedConfigs` link to their section of plots.
 */
export function leaderboardTable(rows: LeaderboardRow[], keys: HyperparameterKey[], linkedConfigs: Set<string>): string {
  const table = columns(keys, linkedConfigs);
  const head = table
    .map((column) =>
      `<th class="${column.type}" data-type="${column.type}" title="${escapeHtml(column.description)}"><button type="button">${escapeHtml(column.title)}</button></th>`,
    )
    .join('');
  const body = rows
    .map((row) => {
      const cells = table.map((column) => {
        const { html, sort } = column.cell(row);
        const sortAttribute = sort === undefined ? '' : ` data-sort="${sort}"`;
        return `<td class="${column.type}"${sortAttribute}>${html}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="sortable" id="leaderboard">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}
