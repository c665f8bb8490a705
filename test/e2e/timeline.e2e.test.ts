// The timeline of an ended run, end to end in Chromium at a projector's 1280×720 and at 1920×1080: a short
// seed run trained to the end, then the step cursor dragged, stepped with the keys and played, and every
// chart checked against the run's snapshots.npz, read here on its own. Dragging must leave the main
// thread free (no long task over 50 ms, by the Long Tasks API). Screenshots go to test-results/screenshots.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { npyNumbers, PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const MAX_STEPS = 5000;
const LEAK = 0.001; // the seed's LeakyReLU slope, on the hidden units and the output

/** The step the timeline reads out. */
async function shownStep(page: Page): Promise<number> {
  return Number((await page.textContent(id('timeline-step')))!.replace(/,/g, ''));
}

/** The step each chart last drew at ('' for none), by kind. */
function drawnSteps(page: Page, kinds: string[]): Promise<Record<string, string>> {
  return page.evaluate(
    (ks) =>
      Object.fromEntries(
        ks.map((k) => [k, document.querySelector<HTMLCanvasElement>(`[data-testid="chart-${k}-canvas"]`)!.dataset.step ?? '']),
      ),
    kinds,
  );
}

/** The fit chart's model lines as drawn: each model's label and its y values along x. */
function fitLines(page: Page): Promise<Record<string, { x: number; y: number }[]>> {
  return page.$eval(id('chart-fit-canvas'), (canvas) => {
    const chart = (canvas as HTMLCanvasElement & { chart: { data: { datasets: { label: string; data: { x: number; y: number }[] }[] } } })
      .chart;
    return Object.fromEntries(
      chart.data.datasets.filter((d) => d.label !== 'target' && !d.label.endsWith(' kink')).map((d) => [d.label, d.data]),
    );
  });
}

/** A 1 → H → 1 LeakyReLU network with a LeakyReLU output, from its flat parameters (W1, b1, W2, b2 as PyTorch orders them). */
function network(params: number[]): (x: number) => number {
  const hidden = (params.length - 1) / 3;
  const leaky = (v: number) => (v >= 0 ? v : LEAK * v);
  return (x) => {
    let out = params[3 * hidden];
    for (let j = 0; j < hidden; j++) out += params[2 * hidden + j] * leaky(params[j] * x + params[hidden + j]);
    return leaky(out);
  };
}

describe.each([
  [1280, 720],
  [1920, 1080],
])('the timeline at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('scrubs, steps and plays every chart through the run, and dragging stays smooth', async () => {
    const lab = await open();
    const { page } = lab;
    const seed = readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
    expect(seed.groups).toMatchObject([{ activation: { negativeSlope: LEAK }, outputActivation: true }, {}]);
    await page.fill(id('field-stop.maxSteps'), String(MAX_STEPS));
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    // while it trains there is no timeline: the charts follow the latest step
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    expect(await page.isVisible(id('timeline'))).toBe(false);
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 90_000 }).toBe('finished');
    await page.waitForSelector(id('timeline'));
    await page.waitForSelector(id('card-kinks'));
    await shot('timeline-run');

    // the run's snapshots, read from its folder here
    const [runId] = readdirSync(join(lab.dataDir, 'runs'));
    const npz = unzipSync(readFileSync(join(lab.dataDir, 'runs', runId, 'snapshots.npz')));
    const result = readJson<{ models: { group: string; index: number; outcome: string; steps: number }[] }>(
      join(lab.dataDir, 'runs', runId, 'result.json'),
    );
    const last = Math.max(...result.models.map((m) => m.steps));
    const snapshotsOf = (label: string) => {
      const name = label.replace(' #', '#');
      const steps = npyNumbers(npz, `${name}.steps`);
      const flat = npyNumbers(npz, name);
      const size = flat.length / steps.length;
      return { steps, rows: steps.map((_, k) => flat.slice(k * size, (k + 1) * size)) };
    };
    /** Each drawn model's line as its snapshot at or before `step` draws it. */
    const expectedLines = (labels: string[], step: number) =>
      Object.fromEntries(
        labels.map((label) => {
          const { steps, rows } = snapshotsOf(label);
          const f = network(rows[steps.filter((t) => t <= step).length - 1]);
          return [label, Array.from({ length: 401 }, (_, i) => f(i / 400))];
        }),
      );

    await page.click(id('tab-results'));
    await page.waitForSelector(id('timeline'));
    await page.waitForSelector(`${id('chart-fit-canvas')}[data-layout]`);
    // the kink paths drawn from the snapshots read, and the redraws their arrival set off done: the drag is measured alone
    await expect
      .poll(
        async () =>
          (JSON.parse((await page.getAttribute(id('chart-kinks-canvas'), 'data-layout')) ?? '{}') as { series?: string[] }).series?.length,
      )
      .toBe(1 + 1 + 8 + 1); // each model's hidden units and its output's bend
    await page.waitForTimeout(500);
    const stepped = ['loss', 'lr', 'fit', 'kinks'];
    const atEnd = await fitLines(page);
    const labels = Object.keys(atEnd);
    expect(labels).toHaveLength(2); // the typical model of each group
    const kept = [...new Set(labels.flatMap((l) => snapshotsOf(l).steps))].sort((a, b) => a - b);
    // the timeline starts at the end; every drawn model is named with where it ended
    expect(await shownStep(page)).toBe(last);
    for (const label of labels) {
      const model = result.models.find((m) => `${m.group} #${m.index}` === label)!;
      expect(await page.textContent(id('timeline-where'))).toContain(
        `${label}: ${model.outcome === 'zero' ? 'zero output' : model.outcome}`,
      );
    }

    // drag the cursor to about two-thirds along (log axis), watching for long tasks all the while. A long task
    // our code makes recurs in every drag; one the machine makes (another test training on the other core)
    // does not: the drag is done again, up to three times, until one drag has none
    const box = (await page.locator(id('timeline-slider')).boundingBox())!;
    const y = box.y + box.height / 2;
    const longTasks: number[][] = [];
    while (longTasks.length < 3 && !(longTasks.at(-1)?.every((d) => d <= 50) ?? false)) {
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[]; watch?: PerformanceObserver };
        w.watch?.disconnect(); // the last drag's
        w.longTasks = [];
        w.watch = new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((e) => e.duration)));
        w.watch.observe({ type: 'longtask' });
      });
      await page.mouse.move(box.x + box.width - 4, y);
      await page.mouse.down();
      for (let k = 0; k <= 40; k++) {
        await page.mouse.move(box.x + box.width - 4 - (k / 40) * box.width * 0.35, y);
        await page.waitForTimeout(25); // a hand's pace: the charts redraw during the drag, not only after it
      }
      await page.mouse.up();
      await page.waitForTimeout(300); // the last redraw, inside the watch
      longTasks.push(await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks));
    }
    expect(
      longTasks.some((tasks) => tasks.every((d) => d <= 50)),
      `main-thread tasks while dragging (ms), each drag: ${longTasks.map((t) => t.join(', ') || 'none').join(' | ')}`,
    ).toBe(true);
    const step = await shownStep(page);
    expect(step).toBeGreaterThan(10);
    expect(step).toBeLessThan(last);
    expect(await page.getAttribute(id('timeline-slider'), 'aria-valuetext')).toBe(`step ${step.toLocaleString('en-US')}`);
    // every chart against step, and the fit and kinks, move to the cursor; the others stay as they were
    await expect
      .poll(() => drawnSteps(page, [...stepped, 'finals', 'reach']))
      .toEqual({
        ...Object.fromEntries(stepped.map((k) => [k, String(step)])),
        finals: '',
        reach: '',
      });
    const expected = expectedLines(labels, step);
    const drawn = await fitLines(page);
    for (const label of labels) {
      expect(drawn[label].map((p) => p.x)).toEqual(Array.from({ length: 401 }, (_, i) => i / 400));
      drawn[label].forEach((p, i) => expect(p.y).toBeCloseTo(expected[label][i], 9));
    }
    // the network there is not the one it ended as
    expect(labels.some((l) => drawn[l].some((p, i) => Math.abs(p.y - atEnd[l][i].y) > 1e-3))).toBe(true);
    await page.locator(id('timeline')).scrollIntoViewIfNeeded();
    await shot('timeline-results');
    await page.locator(id('card-kinks')).scrollIntoViewIfNeeded();
    await shot('timeline-kinks');

    // the arrow keys step through the drawn models' snapshots; Home and End go to either end
    await page.focus(id('timeline-slider'));
    await page.keyboard.press('ArrowRight');
    const next = kept.find((t) => t > step)!;
    expect(await shownStep(page)).toBe(next);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const before = kept.filter((t) => t < next).at(-2)!;
    expect(await shownStep(page)).toBe(before);
    await expect.poll(() => drawnSteps(page, stepped)).toEqual(Object.fromEntries(stepped.map((k) => [k, String(before)])));
    const atBefore = expectedLines(labels, before);
    const drawnBefore = await fitLines(page);
    for (const label of labels) drawnBefore[label].forEach((p, i) => expect(p.y).toBeCloseTo(atBefore[label][i], 9));
    await page.keyboard.press('End');
    expect(await shownStep(page)).toBe(last);
    expect(await page.isDisabled(id('timeline-end'))).toBe(true);
    await expect.poll(() => drawnSteps(page, stepped)).toEqual(Object.fromEntries(stepped.map((k) => [k, ''])));
    await page.keyboard.press('Home');
    expect(await shownStep(page)).toBe(0);

    // Play runs the cursor forward; Pause holds it; played out, it stops at the end
    await page.click(id('timeline-play'));
    expect(await page.getAttribute(id('timeline-play'), 'aria-label')).toBe('Pause');
    await expect.poll(() => shownStep(page), { timeout: 6000 }).toBeGreaterThan(10); // a log axis: early steps pass slowly
    await page.click(id('timeline-play'));
    const paused = await shownStep(page);
    expect(await page.getAttribute(id('timeline-play'), 'aria-label')).toBe('Play');
    await page.waitForTimeout(300);
    expect(await shownStep(page)).toBe(paused);
    await page.click(id('timeline-play'));
    await expect.poll(() => page.getAttribute(id('timeline-play'), 'aria-label'), { timeout: 15_000 }).toBe('Play');
    expect(await shownStep(page)).toBe(last);
    expect(await page.isDisabled(id('timeline-end'))).toBe(true);

    // a run that kept no snapshots says why, and its fit stays as it ended
    rmSync(join(lab.dataDir, 'runs', runId, 'snapshots.npz'));
    await lab.reload();
    await page.click(id(`run-${runId}`));
    await expect
      .poll(() => page.textContent(id('timeline-none')))
      .toBe(
        'This run kept no snapshots (they are kept for networks of at most 256 parameters): the fit and kink charts show each model as it ended.',
      );
  }, 150_000);
});
