/**
 * Vega-Lite specifications of the report's charts. Charts over all trials read the named
 * datasets of SHARED_DATA, which the page loads once and hands to each chart, so a large
 * sweep's rows are embedded once, not once per chart.
 */
import type { TopLevelSpec } from 'vega-lite';

import type { DataRow, DensityData } from './reportData.js';

/** Names of the datasets that several charts read. */
export const SHARED_DATA = {
  /** finishedTrialRows: one row per finished trial. */
  trials: 'trials',
  /** configMeanRows: the mean W1 of each configuration. */
  configMeans: 'configMeans',
} as const;

/** Four panels of this width fit side by side in the page's 1320-pixel column. */
const PANEL_WIDTH = 230;
const PANEL_HEIGHT = 170;
/** Width of one grid value in a hyperparameter chart, and the chart's minimum width. */
const VALUE_WIDTH = 60;
const MIN_CHART_WIDTH = 200;
/** Height of one configuration's row in the seed-spread chart, in pixels. */
const SPREAD_ROW_HEIGHT = 16;

const COLORS = {
  generated: '#4c78a8',
  target: '#f58518',
  reference: '#444444',
} as const;

/** One layer of a layered chart. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Builds a layered chart of the size shared by the panels of a top configuration. */
function panel(title: string, subtitle: string | undefined, layers: Layer[]): TopLevelSpec {
  return {
    title: subtitle === undefined ? title : { text: title, subtitle },
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    layer: layers,
  };
}

/** Returns the layers of a dashed horizontal rule at y = `value`, labelled at its right end. */
function referenceRule(value: number, label: string): Layer[] {
  return [
    {
      data: { values: [{}] },
      mark: { type: 'rule' as const, strokeDash: [4, 4], color: COLORS.reference },
      encoding: { y: { datum: value } },
    },
    {
      data: { values: [{}] },
      mark: { type: 'text' as const, align: 'right' as const, baseline: 'bottom' as const, dy: -2, color: COLORS.reference, fontSize: 10 },
      encoding: { y: { datum: value }, x: { value: PANEL_WIDTH }, text: { value: label } },
    },
  ];
}

/** Histogram of the generated samples as a density, against the target density. */
export function densityChart(data: DensityData): TopLevelSpec {
  const subtitle = data.outside > 0
    ? `${data.samples} samples, ${data.outside} outside the plotted range`
    : `${data.samples} samples`;
  return panel('Generated samples and target density', subtitle, [
    {
      data: { values: data.bins },
      mark: { type: 'rect', opacity: 0.7 },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: 'x' },
        x2: { field: 'x1' },
        y: { field: 'density', type: 'quantitative', title: 'density' },
        color: { datum: 'generated', scale: { domain: ['generated', 'target'], range: [COLORS.generated, COLORS.target] }, legend: { title: null, orient: 'top' } },
        tooltip: [
          { field: 'x0', title: 'from' },
          { field: 'x1', title: 'to' },
          { field: 'density', title: 'density' },
        ],
      },
    },
    {
      data: { values: data.target },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'density', type: 'quantitative' },
        color: { datum: 'target' },
      },
    },
  ]);
}

/** D(x) over the plotted range, with D = ½ (the equilibrium) marked. */
export function discriminatorChart(rows: DataRow[]): TopLevelSpec {
  return panel('Discriminator output D(x)', undefined, [
    {
      data: { values: rows },
      mark: { type: 'line', color: COLORS.generated, strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'x' },
        y: { field: 'd', type: 'quantitative', title: 'D(x)', scale: { domain: [0, 1] } },
        tooltip: [{ field: 'x' }, { field: 'd', title: 'D(x)' }],
      },
    },
    ...referenceRule(0.5, 'D = ½'),
  ]);
}

/** Block means of the D and G losses over training, with ln 2 (both losses at D = ½) marked. */
export function lossChart(rows: DataRow[]): TopLevelSpec {
  return panel('Losses (block means)', undefined, [
    {
      data: { values: rows },
      transform: [{ fold: ['D', 'G'], as: ['network', 'loss'] }],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        // Thousands-separated step labels collide in a narrow chart unless thinned out.
        x: { field: 'step', type: 'quantitative', title: 'step', axis: { labelOverlap: true, format: '~s' } },
        y: { field: 'loss', type: 'quantitative', title: 'loss (nats)', scale: { zero: false } },
        color: { field: 'network', type: 'nominal', title: null, legend: { orient: 'top' }, scale: { range: [COLORS.generated, COLORS.target] } },
        tooltip: [{ field: 'step' }, { field: 'network' }, { field: 'loss' }],
      },
    },
    ...referenceRule(Math.LN2, 'ln 2'),
  ]);
}

/** W1 at each evaluation checkpoint, with the success threshold marked. */
export function checkpointW1Chart(rows: DataRow[], successW1: number): TopLevelSpec {
  return panel('W1 at the evaluation checkpoints', undefined, [
    {
      data: { values: rows },
      mark: { type: 'line', point: true, color: COLORS.generated },
      encoding: {
        // Thousands-separated step labels collide in a narrow chart unless thinned out.
        x: { field: 'step', type: 'quantitative', title: 'step', axis: { labelOverlap: true, format: '~s' } },
        y: { field: 'w1', type: 'quantitative', title: 'W1', scale: { type: 'log' } },
        tooltip: [{ field: 'step' }, { field: 'w1', title: 'W1' }],
      },
    },
    ...referenceRule(successW1, 'success threshold'),
  ]);
}

/** W1 of every finished seed of every configuration, one row per configuration in rank order. */
export function seedSpreadChart(successW1: number): TopLevelSpec {
  const y = { field: 'config', type: 'nominal' as const, title: null, sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const } };
  return {
    title: { text: 'W1 of each seed', subtitle: 'ticks: mean over finished seeds; dashed: success threshold' },
    width: 520,
    height: { step: SPREAD_ROW_HEIGHT },
    layer: [
      {
        data: { name: SHARED_DATA.trials },
        mark: { type: 'point', filled: true, opacity: 0.7, color: COLORS.generated },
        encoding: {
          y,
          x: { field: 'w1', type: 'quantitative', title: 'final W1', scale: { type: 'log' } },
          tooltip: [{ field: 'config' }, { field: 'seed' }, { field: 'w1', title: 'W1' }],
        },
      },
      {
        data: { name: SHARED_DATA.configMeans },
        mark: { type: 'tick', color: COLORS.target, thickness: 2 },
        encoding: {
          y,
          x: { field: 'w1', type: 'quantitative' },
          tooltip: [{ field: 'config' }, { field: 'w1', title: 'mean W1' }],
        },
      },
      { data: { values: [{}] }, mark: { type: 'rule', strokeDash: [4, 4], color: COLORS.reference }, encoding: { x: { datum: successW1 } } },
    ],
  };
}

/** Final W1 of every finished trial against one hyperparameter, with the mean at each value. */
export function hyperparameterChart(key: string, values: number, successW1: number): TopLevelSpec {
  const x = { field: key, type: 'ordinal' as const, title: key, axis: { labelAngle: 0 } };
  return {
    title: { text: `W1 against ${key}`, subtitle: 'dots: trials; line: mean' },
    width: Math.max(MIN_CHART_WIDTH, VALUE_WIDTH * values),
    height: PANEL_HEIGHT,
    data: { name: SHARED_DATA.trials },
    layer: [
      {
        mark: { type: 'point', opacity: 0.5, color: COLORS.generated },
        encoding: {
          x,
          y: { field: 'w1', type: 'quantitative', title: 'final W1', scale: { type: 'log' } },
          tooltip: [{ field: 'config' }, { field: 'seed' }, { field: key }, { field: 'w1', title: 'W1' }],
        },
      },
      {
        mark: { type: 'line', point: true, color: COLORS.target },
        encoding: { x, y: { field: 'w1', type: 'quantitative', aggregate: 'mean' } },
      },
      { data: { values: [{}] }, mark: { type: 'rule', strokeDash: [4, 4], color: COLORS.reference }, encoding: { y: { datum: successW1 } } },
    ],
  };
}
