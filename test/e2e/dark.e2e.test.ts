// The app dark (View → Theme, or a dark system: Chromium's prefers-color-scheme, as Electron's nativeTheme
// sets it): at 1280×720 and 1920×1080 every surface of the Results screen, a dialog, the editor and the run
// panel is dark, the text on it light, and the charts on screen draw in the dark chart theme. Screenshots go to test-results/screenshots.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChartLayout } from '../../core/charts/measure.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;

/** Every shown element whose own background or text is light: what a dark theme left white. */
function lightSurfaces(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const lightness = ([r, g, b]: number[]) => (r + g + b) / 3 / 255;
    const named = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}`;
    const found: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      // off the page until focused (the skip link): not a surface anyone sees
      if (box.bottom <= 0 || box.right <= 0 || box.top >= innerHeight || box.left >= innerWidth) continue;
      const [r, g, b, alpha = 1] = channels(style.backgroundColor);
      // the primary button's blue is the one light-ish fill a dark theme keeps
      if (alpha > 0.5 && lightness([r, g, b]) > 0.4 && !el.matches('button.primary'))
        found.push(`${named(el)} background ${style.backgroundColor}`);
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (ownText && lightness(channels(style.color)) < 0.45) found.push(`${named(el)} text ${style.color}`);
    }
    return found;
  });
}

/** How light a chart's tick labels are drawn, 0 to 1: the mean of their pixels' colour where the text covers them. */
async function tickInk(page: Page, testid: string): Promise<number> {
  const canvas = id(`${testid}-canvas`);
  await page.waitForSelector(`${canvas}[data-layout]`);
  const layout = JSON.parse((await page.getAttribute(canvas, 'data-layout'))!) as ChartLayout;
  return page.$eval(
    canvas,
    (c, boxes) => {
      const chart = c as HTMLCanvasElement;
      const ratio = chart.width / chart.getBoundingClientRect().width;
      const ctx = chart.getContext('2d')!;
      let [sum, count] = [0, 0];
      for (const b of boxes) {
        const [x, y, w, h] = [b.left, b.top, b.width, b.height].map((v) => Math.round(v * ratio));
        const px = ctx.getImageData(x, y, Math.max(1, w), Math.max(1, h)).data;
        // the chart draws on no background (its card's shows through): a covered pixel has the text's colour
        for (let i = 0; i < px.length; i += 4)
          if (px[i + 3] > 96) [sum, count] = [sum + (px[i] + px[i + 1] + px[i + 2]) / 3 / 255, count + 1];
      }
      return count > 20 ? sum / count : NaN;
    },
    Object.values(layout.ticks)
      .flat()
      .map((t) => t.box),
  );
}

describe.each([
  [1280, 720],
  [1920, 1080],
])('the app dark at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height }, 'dark');

  it('Results: every surface dark, the text light, the charts drawn dark; a dialog too', async () => {
    let runId = '';
    const { page } = await open(async (lab) => {
      const seed = readJson<Record<string, any>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
      runId = (await lab.runToEnd({ ...seed, rng: 'per-model', stop: { maxSteps: 3000, lossLimit: 0.005 } })).id;
    });
    await page.click(id(`run-${runId}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    for (const chart of ['chart-loss', 'chart-fit', 'chart-lr']) expect(await tickInk(page, chart), chart).toBeGreaterThan(0.7);
    expect(await lightSurfaces(page)).toEqual([]);
    await shot('results');
    await page.$eval(id('charts'), (el) => el.scrollIntoView());
    await shot('results-charts');
    await shot('results');
    await page.click(id('chart-loss-export'));
    await expect.poll(() => page.isVisible(id('export-dialog'))).toBe(true);
    // a transparent export for a dark slide: light ink, previewed over a dark checkerboard
    await page.selectOption(id('export-theme'), 'transparent-dark');
    const previewInk = () =>
      page.$eval(id('export-preview'), (canvas: HTMLCanvasElement) => {
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const corner = px[3];
        let light = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 200 && px[i] + px[i + 1] + px[i + 2] > 600) light++;
        return { corner, inked: light > 1000 };
      });
    await expect.poll(previewInk).toEqual({ corner: 0, inked: true });
    expect(await lightSurfaces(page)).toEqual([]);
    await shot('export-dialog');
    await page.click(id('export-cancel'));
    // the other screens: the editor's fields, the run panel and the runs table
    for (const screen of ['editor', 'run', 'runs']) {
      await page.click(id(`tab-${screen}`));
      expect(await lightSurfaces(page), screen).toEqual([]);
      await shot(screen);
    }
    await page.click(id('tab-results'));
    // the system (or View → Theme) turning light: the charts follow at once, in the light chart theme
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => tickInk(page, 'chart-loss')).toBeLessThan(0.3);
  }, 90_000);
});
