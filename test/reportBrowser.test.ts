import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { runCli, temporaryDirectory, writeGrid } from './helpers.js';

/** Debian's chromium package; .ci/run installs it when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
/** Headless, and nothing that would reach the network on its own. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join('test-output', 'report.png');

// Few steps keep each trial well under a second; the report only needs real result files.
const SMALL_GRID = `
name: small
grid:
  latent_dim: 4
  g_hidden: 16
  d_hidden: 16
  batch_size: 64
  steps: 40
  lr_d: [0.001, 0.0003]
seeds: [3, 11]
data:
  pool_size: 65536
eval:
  samples: 2000
  checkpoints: 4
`;

interface ChartMarks {
  id: string;
  state: string | null;
  /** Every data mark group of the chart's SVG: its classes and the number of items drawn. */
  marks: Array<{ type: string; items: number }>;
}

/**
 * The few DOM members the page callbacks use. The project compiles without the DOM
 * library, whose globals would leak into the Node code's type checks.
 */
interface DomElement {
  id: string;
  textContent: string | null;
  children: { length: number };
  cells: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

function chartMarks(page: Page): Promise<ChartMarks[]> {
  return page.$$eval('.chart', (charts) =>
    (charts as unknown as DomElement[]).map((chart) => ({
      id: chart.id,
      state: chart.getAttribute('data-state'),
      marks: Array.from(chart.querySelectorAll('svg g.role-mark')).map((group) => ({
        type: group.getAttribute('class') ?? '',
        items: group.children.length,
      })),
    })),
  );
}

function columnTexts(page: Page, column: number): Promise<string[]> {
  return page.$$eval(
    '#leaderboard tbody tr',
    (rows, index) => (rows as unknown as DomElement[]).map((row) => row.cells[index]!.textContent!.trim()),
    column,
  );
}

describe('report.html in Chromium', () => {
  it('draws every chart offline and sorts the table', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; install Debian's chromium package`).toBe(true);
    const directory = temporaryDirectory();
    const out = join(directory, 'runs');
    expect((await runCli(['run', writeGrid(directory, 'small', SMALL_GRID), '--workers', '2', '--out', out])).code).toBe(0);
    const report = await runCli(['report', join(out, 'small')]);
    expect(report.code).toBe(0);

    const context = await chromium.launchPersistentContext(temporaryDirectory('gansweep-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1300, height: 900 },
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.route('**', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        blocked.push(url);
        return route.abort();
      });

      await page.goto(pathToFileURL(report.stdout.trim()).href);
      await page.waitForSelector('body[data-charts]', { timeout: 30_000 });

      expect(await page.getAttribute('body', 'data-charts')).toBe('rendered');
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);

      const charts = await chartMarks(page);
      // 2 top configurations × 4 panels, the seed spread and the lr_d chart.
      expect(charts).toHaveLength(10);
      for (const chart of charts) {
        expect(chart.state, chart.id).toBe('rendered');
        expect(chart.marks.length, chart.id).toBeGreaterThan(0);
        for (const mark of chart.marks) expect(mark.items, `${chart.id}: ${mark.type}`).toBeGreaterThan(0);
      }
      // The first panel is the histogram: one rect per bin.
      const histogram = charts[0]!.marks.find((mark) => mark.type.includes('mark-rect'));
      expect(histogram?.items).toBe(80);
      const lines = await page.$$eval('g.mark-line.role-mark > path', (paths) => (paths as unknown as DomElement[]).map((path) => path.getAttribute('d') ?? ''));
      expect(lines.length).toBeGreaterThan(0);
      for (const d of lines) expect(d).toMatch(/^M[\d.-]+,[\d.-]+L/);

      // Column 0 is the rank: the first click sorts ascending (rank order), the second reverses it.
      const rankButton = page.locator('#leaderboard thead th button', { hasText: /^rank$/ });
      await rankButton.click();
      expect(await columnTexts(page, 0)).toEqual(['1', '2']);
      await rankButton.click();
      expect(await columnTexts(page, 0)).toEqual(['2', '1']);
      const headers = await page.$$eval('#leaderboard thead th', (cells) => (cells as unknown as DomElement[]).map((cell) => cell.textContent));
      const w1Column = headers.indexOf('W1 mean');
      await page.locator('#leaderboard thead th button', { hasText: /^W1 mean$/ }).click();
      const w1Means = (await columnTexts(page, w1Column)).map(Number);
      expect(w1Means).toEqual([...w1Means].sort((a, b) => a - b));

      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
