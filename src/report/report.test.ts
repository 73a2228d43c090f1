import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readSweepResultFiles, SweepResultsError } from '../results/sweepResultFiles.js';
import { runCli, temporaryDirectory } from '../../test/helpers.js';
import { SYNTHETIC_GRID_500, writeSyntheticSweep } from '../../test/syntheticSweep.js';
import { buildReport, DEFAULT_TOP_CONFIGS, REPORT_FILE, writeReport } from './index.js';

/** Upper bound on the report of a 500-trial sweep; the Vega runtime alone is about 0.5 MB. */
const MAX_REPORT_BYTES_500_TRIALS = 1_200_000;

describe('buildReport', () => {
  it('stays small for a 500-trial sweep', () => {
    const { directory, leaderboard } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500);

    const report = buildReport(readSweepResultFiles(directory));

    const bytes = Buffer.byteLength(report.html);
    expect(bytes).toBeLessThan(MAX_REPORT_BYTES_500_TRIALS);
    // Recorded for the README: the report size of this synthetic sweep.
    mkdirSync('test-output', { recursive: true });
    writeFileSync(join('test-output', 'report-size-500-trials.txt'), `${bytes} bytes\n`);
    expect(report.warnings).toEqual([]);
    // 4 panels per top configuration, the seed-spread chart and one chart per varied key (4).
    expect(report.charts).toBe(4 * DEFAULT_TOP_CONFIGS + 1 + 4);
    expect(report.html.match(/<tr>/g)).toHaveLength(leaderboard.rows.length + 1);
  });

  it('links the top configurations from the table', () => {
    const { directory, leaderboard } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500);

    const report = buildReport(readSweepResultFiles(directory), { top: 2 });

    const [first, second, third] = leaderboard.rows;
    expect(report.charts).toBe(4 * 2 + 1 + 4);
    expect(report.html).toContain(`<a href="#config-${first!.configId}">`);
    expect(report.html).toContain(`id="config-${second!.configId}"`);
    expect(report.html).not.toContain(`id="config-${third!.configId}"`);
  });

  it('embeds no external resource', () => {
    const { directory } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500.replace('seeds: 5', 'seeds: 1'));
    const { html } = buildReport(readSweepResultFiles(directory));
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
  });
});

describe('writeReport', () => {
  it('writes report.html into the sweep directory', () => {
    const { directory } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500.replace('seeds: 5', 'seeds: 1'));
    const path = writeReport(directory);
    expect(path).toBe(join(directory, REPORT_FILE));
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('names the missing file', () => {
    const { directory } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500.replace('seeds: 5', 'seeds: 1'));
    rmSync(join(directory, 'trials.jsonl'));
    expect(() => writeReport(directory)).toThrow(SweepResultsError);
    expect(() => writeReport(directory)).toThrow(/trials\.jsonl is missing/);
    expect(existsSync(join(directory, REPORT_FILE))).toBe(false);
  });
});

describe('gansweep report', () => {
  it('prints the path of the report', async () => {
    const { directory } = writeSyntheticSweep(temporaryDirectory(), SYNTHETIC_GRID_500.replace('seeds: 5', 'seeds: 1'));
    const run = await runCli(['report', directory, '--top', '0']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(join(directory, REPORT_FILE));
  });

  it('exits 2 for a missing directory', async () => {
    const missing = join(temporaryDirectory(), 'nothing');
    const run = await runCli(['report', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`sweep directory ${missing} not found`);
  });

  it('exits 2 for an invalid --top', async () => {
    const run = await runCli(['report', temporaryDirectory(), '--top', 'five']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--top must be a whole number ≥ 0, received "five"');
  });
});
