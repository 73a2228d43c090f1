/** The sweep file: loading, validation with positioned errors, defaults and trial expansion. */
export { loadSweepFile, parseSweep } from './parse.js';
export { buildConfigs, CONFIG_ID_HEX_DIGITS, configIdOf, countConfigs, expandTrials } from './expand.js';
export { resolvedSweepToYaml } from './serialize.js';
export type { ResolvedSweep, SweepConfig, TrialPlan } from './sweep.js';
export * from './errors.js';
export {
  DATA_KEYS,
  defaultSuccessW1,
  EVAL_KEYS,
  MAX_TIMEOUT_SECONDS,
  MAX_TRIALS,
  REFERENCE_TARGET,
  RUN_KEYS,
  SWEEP_SETTINGS,
  type NumberRule,
  type NumberSetting,
  type RunSettings,
  type SweepSettingsTable,
} from './defaults.js';
