// Comparing at scale, end to end at 1280×720 and 1920×1080: a short sweep (12 cells, stopped at 3,000 steps) beside a
// short run of the seed (2 groups, 5,000 steps). The 14 groups' legends are lists beside the plots, never
// over them; the bands chart draws medians and, for a group picked in its legend, its band; the table
// says each run's own cap; the finals chart letters its columns. Screenshots go to test-results/screenshots.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { overlap, overlappingTicks, type Box, type ChartLayout } from '../../core/charts/measure.ts';
import type { RunRecord } from '../../core/ipc/contract.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const builtIn = (file: string) => readJson<Record<string, any>>(join(PRESETS, `${file}.json`));
/** A built-in preset made small: a few models per group, these many steps, a loss limit some of them reach. */
const short = (file: string, name: string, models: number, maxSteps: number) => {
  const preset = builtIn(file);
  return {
    ...preset,
    name,
    rng: 'per-model',
    stop: { maxSteps, lossLimit: 0.01 },
    groups: preset.groups.map((g: object) => ({ ...g, models })),
    ...(preset.sweep ? { sweep: { ...preset.sweep, curvesPerCell: models } } : {}),
  };
};
const WIDTHS = ['1', '2', '3', '4', '8', '16'];

async function layoutOf(page: Page, testid: string): Promise<ChartLayout> {
  await page.waitForSelector(`${id(`${testid}-canvas`)}[data-layout]`);
  return JSON.parse((await page.getAttribute(id(`${testid}-canvas`), 'data-layout'))!) as ChartLayout;
}

/** The plot area of a chart on the page, in the page's pixels. */
async function plotOnPage(page: Page, testid: string): Promise<Box> {
  const canvas = (await page.locator(id(`${testid}-canvas`)).boundingBox())!;
  const { plotArea } = await layoutOf(page, testid);
  return { ...plotArea, left: canvas.x + plotArea.left, top: canvas.y + plotArea.top };
}

const boxOf = async (locator: Locator): Promise<Box> => {
  const b = (await locator.boundingBox())!;
  return { left: b.x, top: b.y, width: b.width, height: b.height };
};

describe.each([
  [1280, 720],
  [1920, 1080],
])('comparing a sweep with a run at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('lists 14 groups beside each plot, draws medians with the picked band, and says each run’s own cap', async () => {
    let runs: RunRecord[] = [];
    const { page } = await open(async ({ runToEnd }) => {
      runs = [
        await runToEnd(short('sweep-width-vs-schedule', 'Sweep, short', 3, 3000)),
        await runToEnd(short('seed-narrow-vs-wide', 'Seed, short', 3, 5000)),
      ];
    });
    for (const r of runs) await page.click(id(`run-${r.id}-compare`));
    await page.click(id('run-compare'));
    await expect.poll(() => page.isVisible(id('compare'))).toBe(true);
    await shot('compare-sweep-and-run');

    // the table: 12 cells and 2 groups, each "not reached" by its own run's cap
    const rows = page.locator(`${id('summary-table')} tbody tr`);
    expect(await rows.count()).toBe(14);
    const capsSaid = await rows.evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('td')!.textContent, /not reached by ([\d,]+) steps/.exec(tr.textContent ?? '')?.[1] ?? null]),
    );
    for (const [run, cap] of capsSaid) if (cap) expect(cap, run!).toBe(run!.startsWith('1.') ? '3,000' : '5,000');
    expect(capsSaid.filter(([run, cap]) => run!.startsWith('1.') && cap)).not.toEqual([]);

    // each chart's legend a list beside its plot, every group in it, none over the plot; the plot keeps its height
    const cells = WIDTHS.flatMap((w) => [`1→${w}→1 · SGD 0.1`, `1→${w}→1 · CyclicLR`]);
    for (const kind of ['bands', 'reach', 'finals']) {
      const chart = `chart-${kind}`;
      await page.locator(id(`card-${kind}`)).scrollIntoViewIfNeeded();
      const legend = page.locator(id(`${chart}-legend`));
      await expect.poll(() => legend.isVisible(), { message: kind }).toBe(true);
      const entries = legend.locator('button');
      expect(await entries.count(), kind).toBe(14);
      const texts = await entries.allTextContents();
      for (const cell of cells)
        expect(
          texts.some((t) => t.includes(cell)),
          `${kind}: ${cell}`,
        ).toBe(true);
      expect(await legend.locator('li.heading').allTextContents()).toEqual(['1. Sweep, short', '2. Seed, short']);
      const plot = await plotOnPage(page, chart);
      expect(overlap(await boxOf(legend), plot), kind).toBe(false);
      // the plot keeps most of the canvas's height and half the chart's width, the legend aside
      expect(plot.height, kind).toBeGreaterThan(0.7 * (await boxOf(page.locator(id(`${chart}-canvas`)))).height);
      expect(plot.width, kind).toBeGreaterThan(0.5 * (await boxOf(page.locator(id(chart)))).width);
      // the list scrolls where it is longer than the plot is high: its last entry comes into view
      await entries.last().scrollIntoViewIfNeeded();
      expect(overlap(await boxOf(entries.last()), await boxOf(legend)), kind).toBe(true);
    }

    // bands: the medians alone until a group is picked in the legend; then its band too
    const bands = () => layoutOf(page, 'chart-bands');
    const spreads = (layout: ChartLayout) => layout.series.filter((s) => s.includes('10–90 %'));
    expect(spreads(await bands())).toEqual([]);
    expect((await bands()).series.filter((s) => s.includes(' median of '))).toHaveLength(14);
    await page.locator(id('card-bands')).scrollIntoViewIfNeeded();
    await page.click(id('chart-bands-legend-2. Seed, short · modelsB'));
    await expect
      .poll(async () => spreads(await bands()))
      .toEqual(['2. Seed, short · modelsB 10–90 % high', '2. Seed, short · modelsB 10–90 % low']);
    expect(await page.getAttribute(id('chart-bands-legend-2. Seed, short · modelsB'), 'aria-pressed')).toBe('true');
    // the reach chart draws the picked group's 95 % band alone
    await expect
      .poll(async () => (await layoutOf(page, 'chart-reach')).series.filter((s) => s.includes('95 %')))
      .toEqual(['2. Seed, short · modelsB 95 % band high', '2. Seed, short · modelsB 95 % band low']);
    await shot('compare-bands-picked');
    await page.locator(id('card-reach')).scrollIntoViewIfNeeded();
    await shot('compare-reach');

    // the finals chart: columns lettered, the letters keyed in its legend; no tick label over another
    const finals = await layoutOf(page, 'chart-finals');
    expect(finals.ticks.x.map((t) => t.text)).toEqual('ABCDEFGHIJKLMN'.split(''));
    expect(overlappingTicks(finals)).toEqual([]);
    expect(await page.locator(id('chart-finals-legend-2. Seed, short · models')).textContent()).toBe('M: models · 1→1→1 · SGD 0.1');
    await page.locator(id('card-finals')).scrollIntoViewIfNeeded();
    await shot('compare-finals');

    // the sweep's cells left out: two groups, a legend over the plot again, with their bands
    await page.click(id('compare-none-0'));
    await expect.poll(() => page.isVisible(id('chart-bands-legend'))).toBe(false);
    await expect
      .poll(async () => (await bands()).legend)
      .toEqual(['2. Seed, short · models · 1→1→1 · SGD 0.1', '2. Seed, short · modelsB · 1→8→1 · CyclicLR']);
    expect(spreads(await bands())).toHaveLength(4);
  }, 120_000);
});
