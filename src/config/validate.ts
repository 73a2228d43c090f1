/**
 * Validation of a parsed sweep file: walks the yaml node tree section by section,
 * reports every problem with its position, and fills in the defaults of SWEEP_SETTINGS.
 */
import type { EngineChoice } from '../shared/types.js';
import { isSeq, isScalar, type Node, type YAMLSeq } from 'yaml';

import {
  HYPERPARAMETER_KEYS,
  type EvalSettings,
  type HyperparameterKey,
  type MixtureComponent,
  type Target,
} from '../shared/types.js';
import {
  DATA_KEYS,
  defaultSuccessW1,
  EVAL_KEYS,
  RUN_KEYS,
  type EvalKey,
  FINITE_NUMBER,
  MAX_NAME_LENGTH,
  MAX_TRIALS,
  NAME_PATTERN,
  POSITIVE_NUMBER,
  REFERENCE_TARGET,
  SEED,
  SEED_COUNT,
  SWEEP_SETTINGS,
  WEIGHT_SUM_TOLERANCE,
  type NumberRule,
} from './defaults.js';
import {
  GS_CONFIG_DUPLICATE_VALUE,
  GS_CONFIG_EMPTY_LIST,
  GS_CONFIG_RANGE,
  GS_CONFIG_TYPE,
  GS_CONFIG_WEIGHTS_SUM,
} from './errors.js';
import { childPath, type MapEntry, type NodeReader } from './nodes.js';
import type { ResolvedSweep } from './sweep.js';

export const TOP_LEVEL_KEYS = ['name', 'target', 'grid', 'seeds', 'data', 'eval', 'run', 'engine'] as const;

/** Values of the top-level `engine` key. */
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'tfjs', 'fused'];
const TARGET_KEYS = ['components'] as const;
const COMPONENT_KEYS = ['weight', 'mean', 'variance'] as const;

const COMPONENT_RULES: Record<keyof MixtureComponent, NumberRule> = {
  weight: POSITIVE_NUMBER,
  mean: FINITE_NUMBER,
  variance: { ...POSITIVE_NUMBER, description: 'a positive number (the variance σ², not σ)' },
};

/** A sweep's settings before the grid is expanded into configurations. */
export type SweepSettings = Omit<ResolvedSweep, 'sourceFile' | 'configs'>;

/**
 * Validates the document root and resolves every setting. Problems go to
 * `reader.issues`. Returns undefined when the root is not a mapping. Otherwise the
 * result is complete, but it is only meaningful when no issue was reported.
 */
export function validateSweep(reader: NodeReader, root: Node | null): SweepSettings | undefined {
  if (root === null) {
    reader.report(GS_CONFIG_TYPE, '', null, 'the sweep file is empty; it must be a mapping with at least a line "name: <sweep name>"', '');
    return undefined;
  }
  const entries = reader.readMap(root, '', TOP_LEVEL_KEYS);
  if (!entries) return undefined;

  const name = readName(reader, entries.get('name'), root);
  const engine = readEngine(reader, entries.get('engine'));
  const target = readTarget(reader, entries.get('target'));
  const grid = readGrid(reader, entries.get('grid'));
  const seeds = readSeeds(reader, entries.get('seeds'));
  const data = readSection(reader, entries.get('data'), 'data', DATA_KEYS, SWEEP_SETTINGS.data, {});
  const successW1 = defaultSuccessW1(target);
  const evalSection = readSection(reader, entries.get('eval'), 'eval', EVAL_KEYS, SWEEP_SETTINGS.eval, { success_w1: successW1 });

  const run = readSection(reader, entries.get('run'), 'run', RUN_KEYS, SWEEP_SETTINGS.run, {});

  checkCheckpoints(reader, evalSection, grid);
  checkTrialCount(reader, grid.configCount, seeds.count, entries);

  return { name, target, grid: grid.values, seeds: seeds.values, data: data.values, eval: evalSection.values, run: run.values, engine };
}

/**
 * Checks that every configuration has at least eval.checkpoints steps, so that
 * evaluations spread evenly over training can fall on distinct steps. Reports at
 * eval.checkpoints when it is written, else at grid.steps.
 */
function checkCheckpoints(reader: NodeReader, evalSection: SectionResult<EvalKey, keyof EvalSettings>, grid: GridResult): void {
  if (evalSection.invalidKeys.has('checkpoints') || grid.values.steps.length === 0) return;

  const checkpoints = evalSection.values.checkpoints;
  const minSteps = grid.values.steps.reduce((min, steps) => Math.min(min, steps));
  if (checkpoints <= minSteps) return;

  const checkpointsNode = evalSection.nodes.get('checkpoints');
  if (checkpointsNode) {
    reader.report(GS_CONFIG_RANGE, 'eval.checkpoints', checkpointsNode, `eval.checkpoints must be at most the smallest grid.steps value (${minSteps}), received ${reader.sourceOf(checkpointsNode)}; lower it or raise grid.steps`);
    return;
  }
  const stepsNode = grid.nodes.get('steps')?.valueNode ?? null;
  reader.report(GS_CONFIG_RANGE, 'grid.steps', stepsNode, `grid.steps must be at least eval.checkpoints (default ${checkpoints}), received ${minSteps}; raise the steps or set eval.checkpoints to at most ${minSteps}`);
}

/** Rejects a sweep of more than MAX_TRIALS trials, reported at the grid key when it has lists, else at seeds. */
function checkTrialCount(reader: NodeReader, configCount: number, seedCount: number, entries: Map<string, MapEntry>): void {
  const trialCount = configCount * seedCount;
  if (trialCount <= MAX_TRIALS) return;

  const format = (count: number, noun = '') => {
    const number = count.toLocaleString('en-US');
    if (noun === '') return number;
    return count === 1 ? `${number} ${noun}` : `${number} ${noun}s`;
  };
  const gridEntry = configCount > 1 ? entries.get('grid') : undefined;
  const path = gridEntry ? 'grid' : 'seeds';
  const at = gridEntry?.keyNode ?? entries.get('seeds')?.keyNode ?? null;
  reader.report(GS_CONFIG_RANGE, path, at, `the sweep must have at most ${format(MAX_TRIALS)} trials, received ${format(trialCount)} (${format(configCount, 'configuration')} × ${format(seedCount, 'seed')}); shorten the grid lists or use fewer seeds`);
}

/** Reads the optional `engine` key: auto (the default), tfjs or fused. */
function readEngine(reader: NodeReader, entry: MapEntry | undefined): EngineChoice {
  if (!entry) return 'auto';
  const node = reader.resolve(entry.valueNode, 'engine');
  if (!node) return 'auto';
  if (!isScalar(node) || typeof node.value !== 'string' || !ENGINE_CHOICES.includes(node.value as EngineChoice)) {
    reader.report(GS_CONFIG_RANGE, 'engine', node, `engine must be one of ${ENGINE_CHOICES.join(', ')}, received ${reader.describe(node)}; remove the key to let gansweep choose`);
    return 'auto';
  }
  return node.value as EngineChoice;
}

function readName(reader: NodeReader, entry: MapEntry | undefined, root: Node): string {
  if (!entry) {
    reader.reportMissing('name', root, 'name is missing; add a line such as "name: mixture-1d" (it names the results directory)');
    return '';
  }
  const node = reader.resolve(entry.valueNode, 'name');
  if (!node) return '';

  if (!isScalar(node) || typeof node.value !== 'string') {
    const isPlainValue = isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean');
    const fix = isPlainValue ? `put it in quotes: name: "${reader.sourceOf(node)}"` : 'write a name such as mixture-1d';
    reader.report(GS_CONFIG_TYPE, 'name', node, `name must be a string, received ${reader.describe(node)}; ${fix}`);
    return '';
  }

  const name = node.value;
  if (!NAME_PATTERN.test(name)) {
    reader.report(GS_CONFIG_RANGE, 'name', node, `name may contain only letters, digits, ".", "_" and "-" because it names the results directory, received ${reader.describe(node)}; replace the other characters, for example with "-"`);
  } else if (name === '.' || name === '..') {
    reader.report(GS_CONFIG_RANGE, 'name', node, `name must not be "." or ".." because it names the results directory, received ${reader.describe(node)}; choose another name`);
  } else if (name.length > MAX_NAME_LENGTH) {
    reader.report(GS_CONFIG_RANGE, 'name', node, `name must be at most ${MAX_NAME_LENGTH} characters because it names the results directory, received ${name.length} characters; shorten it`);
  }
  return name;
}

function readTarget(reader: NodeReader, entry: MapEntry | undefined): Target {
  const reference = structuredClone(REFERENCE_TARGET);
  if (!entry) return reference;

  const entries = reader.readMap(entry.valueNode, 'target', TARGET_KEYS);
  if (!entries) return reference;
  const componentsEntry = entries.get('components');
  if (!componentsEntry) {
    reader.reportMissing('target.components', entry.valueNode, 'target.components is missing; list the components as {weight, mean, variance}, or delete target to use the reference mixture');
    return reference;
  }

  const path = 'target.components';
  const list = reader.resolve(componentsEntry.valueNode, path);
  if (!list) return reference;
  if (!isSeq(list)) {
    reader.report(GS_CONFIG_TYPE, path, list, `${path} must be a list of {weight, mean, variance}, received ${reader.describe(list)}; write one "- {weight: 0.4, mean: 0, variance: 4}" line per component`);
    return reference;
  }
  if (list.items.length === 0) {
    reader.report(GS_CONFIG_EMPTY_LIST, path, list, `${path} must list at least one component, received an empty list; add components or delete target to use the reference mixture`);
    return reference;
  }

  const components: MixtureComponent[] = [];
  const weightsWritten: string[] = [];
  let allWeightsValid = true;
  list.items.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const component = readComponent(reader, item as Node, itemPath);
    if (component.weight === undefined) allWeightsValid = false;
    else weightsWritten.push(component.weightSource);
    components.push({ weight: component.weight ?? 0, mean: component.mean ?? 0, variance: component.variance ?? 1 });
  });

  const weightSum = components.reduce((sum, component) => sum + component.weight, 0);
  // The slack keeps a sum written exactly at the tolerance, such as 0.999999, from failing on rounding.
  if (allWeightsValid && Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE * (1 + 1e-9)) {
    const sumText = String(Number(weightSum.toPrecision(12)));
    reader.report(GS_CONFIG_WEIGHTS_SUM, path, list, `${path} weights must sum to 1 (within ${WEIGHT_SUM_TOLERANCE}), received ${weightsWritten.join(' + ')} = ${sumText}; adjust the weights`, weightsWritten.join(' + '));
  }
  return { components };
}

function readComponent(reader: NodeReader, item: Node, path: string): Partial<MixtureComponent> & { weightSource: string } {
  const result: Partial<MixtureComponent> & { weightSource: string } = { weightSource: '' };
  const fields = reader.readMap(item, path, COMPONENT_KEYS);
  if (!fields) return result;

  const example = REFERENCE_TARGET.components[0]!;
  for (const key of COMPONENT_KEYS) {
    const field = fields.get(key);
    if (!field) {
      reader.reportMissing(childPath(path, key), item, `${childPath(path, key)} is missing; add ${key}: ${example[key]} to the component`);
      continue;
    }
    result[key] = reader.readNumber(field.valueNode, childPath(path, key), COMPONENT_RULES[key], example[key]);
    if (key === 'weight') result.weightSource = reader.sourceOf(field.valueNode);
  }
  return result;
}

interface GridResult {
  /** Values of each key that passed validation. */
  values: Record<HyperparameterKey, number[]>;
  /** Configurations as written, counting invalid list items, for the trial limit. */
  configCount: number;
  nodes: Map<string, MapEntry>;
}

function readGrid(reader: NodeReader, entry: MapEntry | undefined): GridResult {
  const values = {} as Record<HyperparameterKey, number[]>;
  let configCount = 1;
  const nodes = (entry && reader.readMap(entry.valueNode, 'grid', HYPERPARAMETER_KEYS)) || new Map<string, MapEntry>();

  for (const key of HYPERPARAMETER_KEYS) {
    const setting = SWEEP_SETTINGS.grid[key];
    const path = `grid.${key}`;
    const field = nodes.get(key);
    const node = field && reader.resolve(field.valueNode, path);
    if (!node) {
      values[key] = [setting.default];
      continue;
    }

    if (isSeq(node)) {
      const emptyFix = `add a value or delete the key to use the default ${setting.default}`;
      values[key] = readNumberList(reader, node, path, setting.rule, setting.default, emptyFix);
      configCount *= Math.max(1, node.items.length);
      continue;
    }

    const value = reader.readNumber(node, path, setting.rule, setting.default);
    values[key] = value === undefined ? [] : [value];
  }
  return { values, configCount, nodes };
}

/** Reads a non-empty list of distinct numbers, reporting an empty list and repeated values. */
function readNumberList(reader: NodeReader, list: YAMLSeq, path: string, rule: NumberRule, example: number, emptyFix: string): number[] {
  if (list.items.length === 0) {
    reader.report(GS_CONFIG_EMPTY_LIST, path, list, `${path} must list at least one value, received an empty list; ${emptyFix}`);
    return [];
  }

  const values: number[] = [];
  const firstPathOf = new Map<number, string>();
  list.items.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const value = reader.readNumber(item as Node, itemPath, rule, example);
    if (value === undefined) return;

    const firstPath = firstPathOf.get(value);
    if (firstPath !== undefined) {
      reader.report(GS_CONFIG_DUPLICATE_VALUE, itemPath, item as Node, `${itemPath} must differ from the other values, received ${reader.sourceOf(item as Node)}, equal to ${firstPath}; remove one of them`);
      return;
    }
    firstPathOf.set(value, itemPath);
    values.push(value);
  });
  return values;
}

function readSeeds(reader: NodeReader, entry: MapEntry | undefined): { values: number[]; count: number } {
  const defaultSeeds = seedRange(SWEEP_SETTINGS.seeds.default);
  const node = entry && reader.resolve(entry.valueNode, 'seeds');
  if (!node) return { values: defaultSeeds, count: defaultSeeds.length };

  if (isSeq(node)) {
    const emptyFix = `list at least one seed, or give a count such as ${SWEEP_SETTINGS.seeds.default}`;
    const values = readNumberList(reader, node, 'seeds', SEED, 0, emptyFix);
    return { values, count: Math.max(1, node.items.length) };
  }

  const count = reader.readNumber(node, 'seeds', SEED_COUNT, SWEEP_SETTINGS.seeds.default);
  if (count === undefined) return { values: defaultSeeds, count: 1 };
  return { values: seedRange(count), count };
}

function seedRange(count: number): number[] {
  return Array.from({ length: count }, (_, seed) => seed);
}

interface SectionResult<Key extends string, Field extends string> {
  values: Record<Field, number>;
  /** Value nodes of the keys written in the file. */
  nodes: Map<Key, Node>;
  /** Keys written with an invalid value, whose `values` entry is the default. */
  invalidKeys: Set<Key>;
}

/**
 * Reads a mapping of numeric settings (`data` or `eval`). A key that is absent takes the
 * table default, or `derivedDefaults[key]` where the table default is null.
 */
function readSection<Key extends string, Field extends string>(
  reader: NodeReader,
  entry: MapEntry | undefined,
  section: string,
  keys: readonly Key[],
  settings: Record<Key, { field: Field; default: number | null; rule: NumberRule }>,
  derivedDefaults: Partial<Record<Key, number>>,
): SectionResult<Key, Field> {
  const result: SectionResult<Key, Field> = { values: {} as Record<Field, number>, nodes: new Map(), invalidKeys: new Set() };
  const fields = entry ? reader.readMap(entry.valueNode, section, keys) : undefined;

  for (const key of keys) {
    const setting = settings[key];
    const fallback = setting.default ?? derivedDefaults[key] ?? Number.NaN;
    result.values[setting.field] = fallback;

    const field = fields?.get(key);
    if (!field) continue;
    result.nodes.set(key, field.valueNode);

    const example = Number(fallback.toPrecision(3));
    const value = reader.readNumber(field.valueNode, childPath(section, key), setting.rule, example);
    if (value === undefined) result.invalidKeys.add(key);
    else result.values[setting.field] = value;
  }
  return result;
}
