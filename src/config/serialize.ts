/** Writing a resolved sweep back as YAML, to be saved as `sweep.yaml` beside the results. */
import { Document } from 'yaml';

import { HYPERPARAMETER_KEYS } from '../shared/types.js';
import { DATA_KEYS, EVAL_KEYS, RUN_KEYS, SWEEP_SETTINGS } from './defaults.js';
import type { ResolvedSweep } from './sweep.js';

/**
 * Writes a resolved sweep as a sweep file with every default filled in and the input's
 * key names. parseSweep reads the output back to an equal ResolvedSweep (with the same
 * sourceName). The source file is named in a header comment.
 */
export function resolvedSweepToYaml(sweep: ResolvedSweep): string {
  const doc = new Document({ name: sweep.name });

  const components = sweep.target.components.map(({ weight, mean, variance }) =>
    doc.createNode({ weight, mean, variance }, { flow: true }),
  );
  doc.set('target', doc.createNode({ components }));

  const grid: Record<string, unknown> = {};
  for (const key of HYPERPARAMETER_KEYS) {
    const values = sweep.grid[key];
    grid[key] = values.length === 1 ? values[0] : doc.createNode(values, { flow: true });
  }
  doc.set('grid', doc.createNode(grid));
  doc.set('seeds', doc.createNode(sweep.seeds, { flow: true }));

  const data: Record<string, number> = {};
  for (const key of DATA_KEYS) data[key] = sweep.data[SWEEP_SETTINGS.data[key].field];
  doc.set('data', data);

  const evalSettings: Record<string, number> = {};
  for (const key of EVAL_KEYS) evalSettings[key] = sweep.eval[SWEEP_SETTINGS.eval[key].field];
  doc.set('eval', evalSettings);

  const run: Record<string, number> = {};
  for (const key of RUN_KEYS) run[key] = sweep.run[SWEEP_SETTINGS.run[key].field];
  doc.set('run', run);
  doc.set('engine', sweep.engine);

  doc.commentBefore = ` Resolved sweep with every default filled in, read from ${sweep.sourceFile}`;
  return doc.toString({ flowCollectionPadding: false });
}
