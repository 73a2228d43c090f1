/** HTML helpers of the report and the shell of its one self-contained page. */
import type { Spec as VegaSpec } from 'vega';

import type { DataRow } from './reportData.js';
import { PAGE_SCRIPT } from './pageScript.js';

/** Significant digits of the numbers shown in tables and text. */
const TEXT_DIGITS = 4;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Formats a number with TEXT_DIGITS significant digits; null (∞ in the result files) prints as `fallback`. */
export function formatNumber(value: number | null | undefined, fallback = '–'): string {
  if (value === null || value === undefined) return fallback;
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(TEXT_DIGITS)).toString();
}

/** Formats milliseconds as `850 ms`, `8.3 s`, `2 min 14 s` or `1 h 5 min`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.round(seconds);
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes < 60) return `${minutes} min ${wholeSeconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Serializes data for a `<script type="application/json">` element. Escaping `<` keeps a
 * string such as "</script>" in the data from ending the element early.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/** A chart for the page: its container's id, its compiled Vega spec and the shared datasets it reads. */
export interface PageChart {
  id: string;
  spec: VegaSpec;
  datasets: string[];
}

export interface PageContent {
  title: string;
  /** HTML of the page body, already escaped. */
  body: string;
  charts: PageChart[];
  /** Rows of the shared datasets, by name. */
  datasets: Record<string, DataRow[]>;
  /** The Vega runtime's browser build. */
  vegaScript: string;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0 auto; max-width: 1320px; padding: 0 24px 48px; }
h1 { font-size: 24px; margin: 24px 0 8px; }
h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 24px 0 4px; }
p.note { color: #555; margin: 4px 0 12px; max-width: 80ch; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 4px 16px; margin: 8px 0; }
dl.summary dt { color: #555; }
dl.summary dd { margin: 0; }
details pre { background: #f6f6f6; padding: 8px 12px; overflow-x: auto; font-size: 12px; }
.table-wrap { max-height: 70vh; overflow: auto; border: 1px solid #ddd; }
table.sortable { border-collapse: collapse; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.sortable th, table.sortable td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; }
table.sortable th.text, table.sortable td.text { text-align: left; }
table.sortable thead th { position: sticky; top: 0; background: #fafafa; border-bottom: 1px solid #ccc; }
table.sortable th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer; padding: 0; }
table.sortable th[aria-sort="ascending"] button::after { content: " ▲"; }
table.sortable th[aria-sort="descending"] button::after { content: " ▼"; }
table.sortable tbody tr:hover { background: #f3f7fb; }
.panels { display: flex; flex-wrap: wrap; gap: 12px 24px; }
.chart[data-state="failed"] { color: #b00020; }
`;

/** Builds the whole page: styles, body, chart specs, shared data, the Vega runtime and the page script. */
export function renderPage(content: PageContent): string {
  if (/<\/script|<!--/i.test(content.vegaScript)) {
    // An inlined script must not contain these sequences, because the HTML parser would
    // end or hide the element there. The Vega 6 build has neither.
    throw new Error('the Vega browser build contains "</script" or "<!--" and cannot be inlined');
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${content.body}
<script type="application/json" id="gansweep-charts">${scriptJson(content.charts)}</script>
<script type="application/json" id="gansweep-data">${scriptJson(content.datasets)}</script>
<script>${content.vegaScript}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
