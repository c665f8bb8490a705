// Sweeps and comparisons in the app, end to end: the built-in sweep (at a short cap) fills its heatmap
// live and after the run; a click on a cell opens its bands, Shift-click overlays another; ticking two
// runs in the history and comparing overlays both.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { overlappingTicks, type ChartLayout } from '../../core/charts/measure.ts';
import type { RunRecord } from '../../core/ipc/contract.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const builtIn = (file: string) => readJson<Record<string, any>>(join(PRESETS, `${file}.json`));

async function layoutOf(page: Page, testid: string): Promise<ChartLayout> {
  await page.waitForSelector(`${id(`${testid}-canvas`)}[data-layout]`);
  return JSON.parse((await page.getAttribute(id(`${testid}-canvas`), 'data-layout'))!) as ChartLayout;
}

/** Clicks the middle of a heatmap cell (with Shift to add it to those picked). */
async function clickCell(page: Page, group: string, shift = false): Promise<void> {
  const layout = await layoutOf(page, 'chart-heatmap');
  const cell = layout.cells.find((c) => c.group === group);
  if (!cell) throw new Error(`no heatmap cell ${group} in ${layout.cells.map((c) => c.group).join(', ')}`);
  await page.locator(id('chart-heatmap-canvas')).click({
    position: { x: cell.box.left + cell.box.width / 2, y: cell.box.top + cell.box.height / 2 },
    modifiers: shift ? ['Shift'] : [],
  });
}

describe('sweeps in the app', () => {
  const { open, shot } = labSuite({ width: 1440, height: 900 });

  it('runs the built-in sweep at a short cap: the heatmap shows its 12 cells; a click opens a cell’s bands, Shift-click overlays another', async () => {
    const { page } = await open();
    await page.click(id('preset-builtin-sweep-width-vs-schedule'));
    await expect.poll(() => page.textContent(id('sweep-size'))).toContain('12 cells of 100 models (seeds) each, 1,200 models in all');
    await page.fill(id('field-stop.maxSteps'), '300');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 120_000 }).toBe('finished');
    expect(await page.textContent(id('run-cells-done'))).toBe('12 / 12');
    expect(await page.textContent(id('run-models-done'))).toBe('1,200 / 1,200');

    await page.click(id('tab-results'));
    const heatmap = await layoutOf(page, 'chart-heatmap');
    expect(heatmap.cells.map((c) => c.group)).toEqual(
      ['1', '2', '3', '4', '8', '16']
        .map((w) => `net_${w}_SGD-0.1`)
        .concat(['1', '2', '3', '4', '8', '16'].map((w) => `net_${w}_CyclicLR`)),
    );
    for (const c of heatmap.cells) expect(c.text).toMatch(/^\d+\/100 \d+(\.\d)?–\d+(\.\d)? %$/);
    expect(heatmap.ticks.x.map((t) => t.text)).toEqual(['1', '2', '3', '4', '8', '16']);
    expect(heatmap.ticks.y.map((t) => t.text)).toEqual(['SGD 0.1', 'CyclicLR']);
    expect(overlappingTicks(heatmap)).toEqual([]);
    // the per-cell table: a row per cell, axis values in its first columns
    expect(await page.locator(`${id('summary-table')} tbody tr`).count()).toBe(12);
    // it fits the pane at 1440 wide: nothing to scroll sideways for
    expect(await page.locator(id('summary-table')).evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth)).toBe(
      true,
    );
    expect(await page.textContent(id('summary-net_1_SGD-0.1-steps'))).toBe('not reached by 300 steps');
    expect(await page.textContent(id('summary-net_16_CyclicLR-pick'))).toBe('16');
    await expect.poll(() => page.isVisible(id('sweep-cells-hint'))).toBe(true);
    await shot('sweep-results');

    await clickCell(page, 'net_16_SGD-0.1');
    await expect.poll(() => page.textContent(id('sweep-cells-title'))).toBe('Hidden widths 16, LR schedule SGD 0.1');
    await expect
      .poll(async () => (await layoutOf(page, 'chart-bands')).legend)
      .toEqual(['1→16→1 · SGD 0.1 (median of 20 of 100 models drawn, 10–90 % band)']);
    await clickCell(page, 'net_1_CyclicLR', true);
    await expect
      .poll(() => page.textContent(id('sweep-cells-title')))
      .toBe('Hidden widths 16, LR schedule SGD 0.1 · Hidden widths 1, LR schedule CyclicLR');
    await expect.poll(async () => (await layoutOf(page, 'chart-bands')).legend).toEqual(['1→16→1 · SGD 0.1', '1→1→1 · CyclicLR']); // the band note both share is the caption
    // each chart redraws on its own: the reach chart may still show the one cell when the bands show two
    await expect
      .poll(async () => (await layoutOf(page, 'chart-reach')).legend.slice(0, 2))
      .toEqual([
        expect.stringMatching(/^1→16→1 · SGD 0\.1 \(\d+\/100 reached\)$/),
        expect.stringMatching(/^1→1→1 · CyclicLR \(\d+\/100 reached\)$/),
      ]);
    await page.locator(id('card-bands')).scrollIntoViewIfNeeded();
    await shot('sweep-cells');

    // the heatmap coloured by another statistic, the axes swapped
    await page.selectOption(id('heatmap-statistic'), 'escape');
    await page.selectOption(id('heatmap-x'), '1');
    await expect.poll(async () => (await layoutOf(page, 'chart-heatmap')).ticks.x.map((t) => t.text)).toEqual(['SGD 0.1', 'CyclicLR']);
    expect((await layoutOf(page, 'chart-heatmap')).ticks.y.map((t) => t.text)).toEqual(['1', '2', '3', '4', '8', '16']);
  });

  it('edits a sweep in the form: an axis value the field does not accept is named with its axis', async () => {
    const { page } = await open();
    await page.click(id('preset-builtin-sweep-slope-vs-width'));
    await page.fill(id('field-sweep.axes[0].values'), '0, 0.01, -0.5');
    await page.press(id('field-sweep.axes[0].values'), 'Tab');
    await expect
      .poll(() => page.textContent(id('validation-summary')))
      .toContain('Sweep axis 1 › Values: sweep axis activation.negativeSlope, value -0.5: must be at least 0');
    await page.fill(id('field-sweep.axes[0].values'), '0, 0.01, 0.5');
    await page.press(id('field-sweep.axes[0].values'), 'Tab');
    await expect.poll(() => page.textContent(id('sweep-size'))).toContain('9 cells of 50 models (seeds) each, 450 models in all');
  });

  it('compares two runs from the history: their groups side by side in one table and overlaid in the charts', async () => {
    const short = (preset: Record<string, any>, name: string, steps: number) => ({
      ...preset,
      name,
      rng: 'per-model',
      stop: { ...preset.stop, maxSteps: steps },
    });
    let runs: RunRecord[] = [];
    const lab = await open(async ({ runToEnd }) => {
      runs = [
        await runToEnd(short(builtIn('seed-narrow-vs-wide'), 'Seed, short', 2000)),
        await runToEnd({
          ...short(builtIn('sweep-slope-vs-width'), 'Slopes, short', 500),
          groups: [{ ...builtIn('sweep-slope-vs-width').groups[0], models: 4 }],
        }),
      ];
    });
    const { page } = lab;
    for (const r of runs) await page.click(id(`run-${r.id}-compare`));
    await page.click(id('run-compare'));
    await expect.poll(() => page.isVisible(id('compare'))).toBe(true);
    // 2 groups of the seed, 15 cells of the sweep
    expect(await page.locator(`${id('summary-table')} tbody tr`).count()).toBe(17);
    // 17 groups: the legend a list beside the plot, each run named once over its groups
    const bands = await layoutOf(page, 'chart-bands');
    expect(bands.legend).toHaveLength(19);
    expect([bands.legend[0], bands.legend[3]]).toEqual(['1. Seed, short', '2. Slopes, short']);
    expect(bands.legend[1]).toMatch(/^models · 1→1→1/);
    expect(bands.legend[4]).toMatch(/^negative slope 0 · 1→1→1/);
    expect(await page.locator(`${id('chart-bands-legend')} button`).count()).toBe(17);
    // leave the sweep's cells out but one
    for (const g of builtIn('sweep-slope-vs-width').sweep.axes[0].values.flatMap((s: number) =>
      ['1', '4', '16'].map((w) => `net_${s}_${w}`),
    ))
      if (g !== 'net_0.3_16') await page.click(id(`compare-group-1-${g}`));
    await expect.poll(async () => (await layoutOf(page, 'chart-bands')).legend.length).toBe(3);
    expect(await page.locator(`${id('summary-table')} tbody tr`).count()).toBe(3);
    // a sweep's cell named by its values, as in the legends
    const cells = page
      .locator(`${id('summary-table')} tbody tr`)
      .nth(2)
      .locator('td');
    expect([await cells.nth(0).textContent(), await cells.nth(1).textContent()]).toEqual([
      '2. Slopes, short',
      'negative slope 0.3 · 1→16→1',
    ]);
    await expect
      .poll(async () => (await layoutOf(page, 'chart-reach')).legend.slice(0, 3).map((l) => l.replace(/ \(.*$/, '')))
      .toEqual([
        '1. Seed, short · models · 1→1→1 · SGD 0.1',
        '1. Seed, short · modelsB · 1→8→1 · CyclicLR',
        '2. Slopes, short · negative slope 0.3 · 1→16→1',
      ]);
    expect(await page.locator(id('summary-table')).evaluate((t) => t.parentElement!.scrollWidth <= t.parentElement!.clientWidth)).toBe(
      true,
    );
    await shot('compare');
  });
});
