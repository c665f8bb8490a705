// One model followed across every chart, end to end in Chromium at 1280×720 and 1920×1080: a short seed run,
// then a model picked in the models table, then another by clicking its point in the final-loss chart. Each
// time the loss, finals, fit and kink charts draw it over the others (read from the charts as drawn), its row
// is marked, a line above the charts names it, and the Run screen follows the same model. Screenshots go to
// test-results/screenshots.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;

type Drawn = { model?: number; order?: number; label: string };

/** Each chart's datasets of a model, as drawn: which model they draw, and their layer. */
function drawnModels(page: Page, kind: string): Promise<Drawn[]> {
  return page.$eval(id(`chart-${kind}-canvas`), (canvas) =>
    (canvas as HTMLCanvasElement & { chart: { data: { datasets: Drawn[] } } }).chart.data.datasets
      .filter((d) => d.model !== undefined)
      .map((d) => ({ model: d.model, order: d.order, label: d.label })),
  );
}

/** The model each chart draws on top (the lowest order; none when every model is at one level). */
async function onTop(page: Page, kinds: string[]): Promise<Record<string, number | null>> {
  const tops: Record<string, number | null> = {};
  for (const kind of kinds) {
    const drawn = await drawnModels(page, kind);
    const lowest = Math.min(...drawn.map((d) => d.order ?? 0));
    const models = new Set(drawn.filter((d) => (d.order ?? 0) === lowest).map((d) => d.model!));
    tops[kind] = lowest < 0 && models.size === 1 ? [...models][0] : null;
  }
  return tops;
}

const STEP_CHARTS = ['loss', 'fit', 'kinks'];

describe.each([
  [1280, 720],
  [1920, 1080],
])('following a model at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('picks a model in the table or the final-loss chart and follows it through every chart', async () => {
    const { page } = await open();
    await page.fill(id('field-stop.maxSteps'), '2000');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 90_000 }).toBe('finished');
    await page.click(id('tab-results'));
    await page.waitForSelector(`${id('chart-kinks-canvas')}[data-layout]`);
    expect(await page.isVisible(id('following'))).toBe(false);
    expect(await onTop(page, [...STEP_CHARTS, 'finals'])).toEqual({ loss: null, fit: null, kinks: null, finals: null });

    // the table: the wide group's third model (models 10–19 are the wide ones)
    await page.click(`${id('results-models-fold')} summary`);
    await page.click(id('model-follow-12'));
    await expect
      .poll(() => page.textContent(id('following')))
      .toMatch(/^Following modelsB · 1→8→1 · CyclicLR #2: .+ at step [\d,]+ \(loss [\d.]+\), drawn over the others/);
    expect(await page.getAttribute(id('model-row-12'), 'class')).toContain('followed');
    expect(await page.getAttribute(id('model-follow-12'), 'aria-pressed')).toBe('true');
    await expect.poll(() => onTop(page, STEP_CHARTS)).toEqual({ loss: 12, fit: 12, kinks: 12 });
    // the finals chart draws its point last in its column, ringed
    const finalsPoints = () =>
      page.$eval(id('chart-finals-canvas'), (canvas) => {
        type Points = { data: { model: number }[]; pointRadius: number[] };
        const wide = (canvas as HTMLCanvasElement & { chart: { data: { datasets: Points[] } } }).chart.data.datasets[1];
        return { last: wide.data.at(-1)!.model, ringed: wide.pointRadius.at(-1)! > wide.pointRadius[0] };
      });
    await expect.poll(finalsPoints).toEqual({ last: 12, ringed: true });
    await page.locator(id('card-loss')).scrollIntoViewIfNeeded();
    await shot('following-table');

    // a click on another model's point in the final-loss chart follows that one instead
    await page.locator(id('card-finals')).scrollIntoViewIfNeeded();
    const target = await page.$eval(id('chart-finals-canvas'), (canvas) => {
      type Meta = { data: { x: number; y: number }[] };
      const chart = (
        canvas as HTMLCanvasElement & {
          chart: { data: { datasets: { data: { model: number }[] }[] }; getDatasetMeta: (k: number) => Meta };
        }
      ).chart;
      const k = chart.data.datasets[0].data.findIndex((p) => p.model === 1); // a narrow model
      const { x, y } = chart.getDatasetMeta(0).data[k];
      return { x, y };
    });
    const box = (await page.locator(id('chart-finals-canvas')).boundingBox())!;
    await page.mouse.click(box.x + target.x, box.y + target.y);
    await expect.poll(() => page.textContent(id('following'))).toMatch(/^Following models · 1→1→1 · SGD 0\.1 #1: /);
    await expect.poll(() => onTop(page, STEP_CHARTS)).toEqual({ loss: 1, fit: 1, kinks: 1 });
    expect(await page.getAttribute(id('model-row-12'), 'class')).not.toContain('followed');
    await page.locator(id('following')).scrollIntoViewIfNeeded();
    await shot('following-finals');

    // the Run screen of the same run follows the same model
    await page.click(id('tab-run'));
    await expect.poll(() => page.textContent(id('following'))).toMatch(/^Following models · 1→1→1/);
    await expect.poll(() => onTop(page, ['loss', 'fit'])).toEqual({ loss: 1, fit: 1 });
    // and stops following everywhere
    await page.click(id('following-stop'));
    expect(await page.isVisible(id('following'))).toBe(false);
    await expect.poll(() => onTop(page, ['loss', 'fit'])).toEqual({ loss: null, fit: null });
    await page.click(id('tab-results'));
    expect(await page.isVisible(id('following'))).toBe(false);
  }, 150_000);
});
