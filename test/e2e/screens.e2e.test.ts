// What a lecturer sees, measured: at a projector's 1280×720 and at 1920×1080, the Run and Results screens
// draw their charts large, with tick labels apart, reference lines over the curves, one legend entry per
// group, and a band for a big group; the frame stays put while the content scrolls. Screenshots of each
// screen go to test-results/screenshots.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { overlappingTicks, type ChartLayout } from '../../core/charts/measure.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const seed = () => readJson<Record<string, any>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
const short = (steps: number) => ({ ...seed(), rng: 'per-model', stop: { maxSteps: steps, lossLimit: 0.005 } });

async function layoutOf(page: Page, testid: string): Promise<ChartLayout> {
  await page.waitForSelector(`${id(`${testid}-canvas`)}[data-layout]`);
  return JSON.parse((await page.getAttribute(id(`${testid}-canvas`), 'data-layout'))!) as ChartLayout;
}

/** The most saturated pixel (max − min channel) inside each reference label: a curve drawn over a label would show its colour. */
async function labelSaturation(page: Page, testid: string, layout: ChartLayout): Promise<number[]> {
  return page.$eval(
    id(`${testid}-canvas`),
    (c, boxes) => {
      const canvas = c as HTMLCanvasElement;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const ctx = canvas.getContext('2d')!;
      return boxes.map((b) => {
        // the label's inside, 2 px in from its edge (antialiased edges blend with what is around)
        const [x, y, w, h] = [b.left + 2, b.top + 2, b.width - 4, b.height - 4].map((v) => Math.round(v * ratio));
        const px = ctx.getImageData(x, y, w, h).data;
        let most = 0;
        for (let i = 0; i < px.length; i += 4)
          most = Math.max(most, Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]));
        return most;
      });
    },
    layout.references.map((r) => r.box),
  );
}

describe.each([
  [1280, 720],
  [1920, 1080],
])('screens at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('Run screen: the loss chart is the largest thing on it, labels apart, reference lines over the curves, a legend entry per group', async () => {
    const { page } = await open();
    await page.fill(id('field-stop.maxSteps'), '20000');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 90_000 }).toBe('finished');
    await expect.poll(async () => (await layoutOf(page, 'chart-loss')).series.length).toBe(20); // the last redraw has every model
    const loss = await layoutOf(page, 'chart-loss');
    const fit = await layoutOf(page, 'chart-fit');
    const lr = await layoutOf(page, 'chart-lr');
    expect(loss.plotArea.height).toBeGreaterThanOrEqual(300);
    for (const other of [fit, lr])
      expect(loss.plotArea.width * loss.plotArea.height).toBeGreaterThan(2 * other.plotArea.width * other.plotArea.height);
    for (const l of [loss, fit, lr]) {
      expect(Object.values(l.ticks).flat().length).toBeGreaterThan(6);
      expect(overlappingTicks(l)).toEqual([]);
    }
    // the seed's groups differ in network and in schedule: the legend says both
    const names = ['models · 1→1→1 · SGD 0.1', 'modelsB · 1→8→1 · CyclicLR'];
    expect(loss.legend).toEqual(names);
    expect(lr.legend).toEqual(names);
    expect(fit.legend).toEqual(['target', ...names, 'kink']);
    expect(loss.references.map((r) => r.text)).toEqual([
      'loss limit 0.005',
      'best line: loss 0.0658',
      'best constant: loss 0.0901',
      'zero output: loss 0.900',
    ]);
    // each label sits over the curves: no saturated curve colour inside it
    const saturations = await labelSaturation(page, 'chart-loss', loss);
    expect(saturations, `most saturated pixel inside each reference label: ${saturations.join(', ')}`).toHaveLength(4);
    for (const saturation of saturations) expect(saturation).toBeLessThan(60);
    await shot('run');
    // the content scrolls; the sidebar and the tab bar stay where they are
    await page.$eval(id('screen'), (el) => el.scrollTo(0, el.scrollHeight));
    expect(await page.$eval('.topbar', (el) => el.getBoundingClientRect().top)).toBe(0);
    expect(await page.$eval('.sidebar', (el) => el.getBoundingClientRect().top)).toBe(0);
    expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
    // any chart opens full window, and Escape brings the screen back
    await page.click(id('chart-loss-expand'));
    await expect.poll(() => page.isVisible(id('chart-full-window'))).toBe(true);
    const full = await layoutOf(page, 'chart-loss-full');
    expect(full.plotArea.height).toBeGreaterThan(loss.plotArea.height);
    await shot('full-window');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible(id('chart-full-window'))).toBe(false);
  }, 150_000);

  it('Results of a sweep fit the window: the exports in one menu, the title on one line, the table in its own box', async () => {
    let runId = '';
    const { page } = await open(async (lab) => {
      const sweep = readJson<Record<string, any>>(join(PRESETS, 'sweep-width-vs-schedule.json'));
      const name = 'Hidden width against the learning-rate schedule, four seeds a cell, a short cap';
      runId = (
        await lab.runToEnd({
          ...sweep,
          name,
          rng: 'per-model',
          stop: { ...sweep.stop, maxSteps: 300 },
          groups: [{ ...sweep.groups[0], models: 4 }],
        })
      ).id;
    });
    await page.click(id(`run-${runId}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    // the title is one line, and nothing in the results is wider than its pane
    const title = await page.$eval('.run-title h2', (el) => [
      el.getBoundingClientRect().height,
      parseFloat(getComputedStyle(el).lineHeight),
    ]);
    expect(title[0]).toBeLessThan(1.5 * title[1]);
    const pane = await page.$eval(id('results'), (el) => el.getBoundingClientRect().right);
    const box = await page.$eval(id('summary-table'), (el) => el.parentElement!.getBoundingClientRect());
    expect(box.right).toBeLessThanOrEqual(pane);
    expect(await page.$eval(id('results'), (el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // every column reads without scrolling sideways: no model diverged or was stopped, so those columns of
    // zeros are left out
    expect(await page.$eval(id('summary-table'), (el) => el.parentElement!.scrollWidth <= el.parentElement!.clientWidth)).toBe(true);
    expect(await page.locator(`${id('summary-table')} thead th`).allTextContents()).not.toContain('diverged');
    // the twelve rows scroll in a box that leaves most of the window to the heatmap
    expect(await page.locator(`${id('summary-table')} tbody tr`).count()).toBe(12);
    expect(box.height).toBeLessThanOrEqual(0.5 * height);
    await shot('results-sweep');
    const heatmap = await page.getAttribute(id('chart-heatmap'), 'aria-label');
    expect(heatmap).toContain('Axes: Hidden widths from 1 to 16; LR schedule from SGD 0.1 to CyclicLR.');
    expect(heatmap).toMatch(/ 12 cells: net_1_SGD-0\.1: \d\/4 /);
    // the exports: one button, a menu of items, arrows to move, Escape to shut it
    expect(await page.locator('.toolbar > button').count()).toBe(0);
    await page.focus(id('export-menu'));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.isVisible('[role="menu"]')).toBe(true);
    expect(await page.locator('[role="menuitem"]').count()).toBe(6);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-log');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-table');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-all');
    await shot('results-export-menu');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible('[role="menu"]')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-menu');
    expect(await page.getAttribute(id('export-menu'), 'aria-expanded')).toBe('false');
  }, 120_000);

  it('Results: the summary first, escaped and zero-output models counted; a 20-model group draws as a band', async () => {
    let runId = '';
    const { page } = await open(async (lab) => {
      const preset = { ...short(3000), name: 'Twenty wide', groups: [{ ...seed().groups[1], name: 'wide', models: 20 }] };
      runId = (await lab.runToEnd(preset)).id;
    });
    await page.click(id(`run-${runId}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    const summaryTop = await page.$eval(id('summary-table'), (el) => el.getBoundingClientRect().top);
    const chartsTop = await page.$eval(id('charts'), (el) => el.getBoundingClientRect().top);
    expect(summaryTop).toBeLessThan(chartsTop);
    expect(await page.textContent(id('summary-head-escaped'))).toBe('escaped');
    expect(await page.textContent(id('summary-head-zero'))).toBe('zero output 0.900');
    const loss = await layoutOf(page, 'chart-loss');
    expect(loss.legend).toEqual(['wide · 1→8→1 (median, 10–90 % band)']);
    // its text alternative: the chart in words
    const words = await page.getAttribute(id('chart-loss'), 'aria-label');
    expect(words).toMatch(/^Loss against step\. /); // the card's title, which the chart on screen does not draw itself
    expect(words).toContain('validation MSE loss from 0.005 to 2, log scale. 1 series: wide · 1→8→1 (median, 10–90 % band).');
    expect(words).toContain('4 reference lines: loss limit 0.005; best line: loss 0.0658;');
    expect(loss.series).toContain('wide median of 20');
    expect(overlappingTicks(loss)).toEqual([]);
    await page.selectOption(id('chart-loss-band-range'), 'extremes');
    await expect.poll(async () => (await layoutOf(page, 'chart-loss')).series).toContain('wide min–max low');
    await shot('results-band');
    // one box puts the step charts on a linear step axis: from step 0, not step + 1 from 1
    expect((await layoutOf(page, 'chart-lr')).ticks.x[0].text).toBe('1');
    await page.check(id('chart-lr-linear-steps'));
    await expect.poll(async () => (await layoutOf(page, 'chart-lr')).ticks.x[0].text).toBe('0');
    await expect.poll(async () => (await layoutOf(page, 'chart-loss')).ticks.x[0].text).toBe('0');
    expect(await page.isChecked(id('chart-loss-linear-steps'))).toBe(true);
    // the training loss gets a smoothing slider, and an export starts from the words that say what it draws
    expect(await page.isVisible(id('chart-loss-smoothing'))).toBe(false);
    await page.check(id('chart-loss-show-train'));
    await page.fill(id('chart-loss-smoothing'), '0.6');
    await page.click(id('chart-loss-export'));
    await expect.poll(() => page.inputValue(id('export-y-label'))).toBe('MSE loss (validation; training faint, smoothed 0.6)');
    expect(await page.inputValue(id('export-x-label'))).toBe('step');
    await page.click(id('export-cancel'));
  }, 90_000);
});
