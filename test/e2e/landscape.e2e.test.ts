// The loss landscape in the app, end to end in Chromium at a projector's 1280×720 and at 1920×1080: a
// short seed run trained to the end, the timeline's cursor dragged, the landscape opened from the fit's
// card for a picked model, and the plane checked against the run's own files, read here on their own
// (result.json's curves, snapshots.npz's steps); then random directions, an SVG export through the dialog
// and a run that kept no snapshots. Screenshots go to test-results/screenshots.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { npyNumbers, PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const MAX_STEPS = 2000;
/** A wait on main's computing a plane: a worker thread's start, slow on a busy machine. */
const COMPUTED = { timeout: 30_000 };

interface Drawn {
  label: string;
  type?: string;
  data: { x: number; y: number; loss?: number }[];
}

/** The datasets a chart of the panel draws. */
function datasets(page: Page, testid: string): Promise<Drawn[]> {
  return page.$eval(id(`${testid}-canvas`), (canvas) => {
    const chart = (canvas as HTMLCanvasElement & { chart: { data: { datasets: Drawn[] } } }).chart;
    return chart.data.datasets.map((d) => ({ label: d.label, type: d.type, data: d.data.map((p) => ({ x: p.x, y: p.y, loss: p.loss })) }));
  });
}

/** The axis titles the chart drew. */
function axisTitles(page: Page, testid: string): Promise<string[]> {
  return page.$eval(id(`${testid}-canvas`), (canvas) => {
    const chart = (canvas as HTMLCanvasElement & { chart: { options: { scales: Record<string, { title?: { text?: string } }> } } }).chart;
    return ['x', 'y'].map((axis) => String(chart.options.scales[axis].title?.text ?? ''));
  });
}

describe.each([
  [1280, 720],
  [1920, 1080],
])('the loss landscape at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('opens for a picked model at the cursor, with its trajectory, and exports it', async () => {
    const lab = await open();
    const { page } = lab;
    const seed = readJson<{ groups: { name: string }[] }>(join(PRESETS, 'seed-narrow-vs-wide.json'));
    const wide = seed.groups[1].name;
    await page.fill(id('field-stop.maxSteps'), String(MAX_STEPS));
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    // live, the fit offers no landscape: there are no stored snapshots yet
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    expect(await page.isVisible(id('chart-fit-landscape'))).toBe(false);
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 90_000 }).toBe('finished');
    await page.waitForSelector(id('chart-fit-landscape')); // on the Run screen too, once it has ended

    // the run's own files, read here
    const [runId] = readdirSync(join(lab.dataDir, 'runs'));
    const runDir = join(lab.dataDir, 'runs', runId);
    const npz = unzipSync(readFileSync(join(runDir, 'snapshots.npz')));
    const result = readJson<{
      models: { id: number; group: string; index: number; lossFinal: number; curves: { step: number[]; lossVal: number[] } }[];
    }>(join(runDir, 'result.json'));
    // the picked model: the wide one that ended lowest, whose path leaves the line plateau
    const picked = result.models.filter((m) => m.group === wide).sort((a, b) => a.lossFinal - b.lossFinal)[0];
    const name = `${picked.group}#${picked.index}`;
    const kept = npyNumbers(npz, `${name}.steps`);

    await page.click(id('tab-results'));
    await page.waitForSelector(id('timeline'));
    await page.waitForSelector(`${id('chart-fit-canvas')}[data-layout]`);
    // the cursor dragged to about two-thirds along the log axis
    const box = (await page.locator(id('timeline-slider')).boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.65, box.y + box.height / 2);
    const cursor = Number((await page.textContent(id('timeline-step')))!.replace(/,/g, ''));
    expect(cursor).toBeGreaterThan(100);
    expect(cursor).toBeLessThan(MAX_STEPS - 1);

    await page.locator(id('card-fit')).scrollIntoViewIfNeeded();
    await shot('landscape-fit-card');
    await page.click(id('chart-fit-landscape'));
    await page.waitForSelector(id('landscape-panel'));
    // it opens on the fit's first drawn model, which kept snapshots
    const firstDrawn = await page.$eval(id('chart-fit-canvas'), (canvas) => {
      const chart = (canvas as HTMLCanvasElement & { chart: { data: { datasets: { label: string }[] } } }).chart;
      return chart.data.datasets.map((d) => d.label).find((l) => l !== 'target' && !l.endsWith(' kink'));
    });
    await page.waitForSelector(`${id('landscape-landscape-canvas')}[data-layout]`, COMPUTED);
    // each named with where it ended, to pick one by
    expect(await page.$eval(`${id('landscape-model')} option:checked`, (o) => o.textContent)).toMatch(
      new RegExp(`^${firstDrawn} · \\S.* \\d\\.\\d{4}$`),
    );
    expect(await page.$eval(`${id('landscape-model')} option[value="${picked.id}"]`, (o) => o.textContent)).toMatch(
      new RegExp(` ${picked.lossFinal.toFixed(4)}$`),
    );

    // pick the model: the plane is centred on its last snapshot at or before the cursor
    await page.selectOption(id('landscape-model'), String(picked.id));
    const snapped = kept.filter((t) => t <= cursor).at(-1)!;
    await expect.poll(() => page.inputValue(id('landscape-step')), COMPUTED).toBe(String(snapped));
    await expect.poll(() => page.textContent(id('landscape-status')), COMPUTED).toBe('');
    const title = `Loss landscape around ${name} at step ${snapped.toLocaleString('en-US')}`;
    await expect.poll(() => page.textContent(id('landscape-card-landscape')), COMPUTED).toContain(title);
    await page.waitForTimeout(400); // the chart's redraw (at most four a second)
    await expect.poll(async () => (await datasets(page, 'landscape-landscape'))[0].label).toBe(title);

    // centred on a point of its curve: the centre cell is its validation loss there, as stored
    const onCurve = picked.curves.step.filter((t) => t <= cursor && kept.includes(t)).at(-1)!;
    await page.selectOption(id('landscape-step'), String(onCurve));
    await expect.poll(() => page.textContent(id('landscape-status')), COMPUTED).toBe('');
    const titleThere = `Loss landscape around ${name} at step ${onCurve.toLocaleString('en-US')}`;
    await expect.poll(async () => (await datasets(page, 'landscape-landscape'))[0].label, COMPUTED).toBe(titleThere);
    const drawn = await datasets(page, 'landscape-landscape');
    const cells = drawn[0].data;
    expect(cells).toHaveLength(51 * 51); // the screen's grid
    const centre = cells[25 * 51 + 25];
    expect([centre.x, centre.y]).toEqual([0, 0]);
    expect(centre.loss).toBe(picked.curves.lossVal[picked.curves.step.indexOf(onCurve)]);
    // the trajectory: a point a snapshot from step 0, its first, to the chosen one, which is at (0, 0); then,
    // dashed, on to its last snapshot
    const path = drawn.find((d) => d.label === 'trajectory')!.data;
    const later = drawn.find((d) => d.label === 'trajectory later')!.data;
    expect(kept[0]).toBe(0);
    expect(drawn.find((d) => d.label === 'step 0')!.data).toEqual([path[0]]);
    expect(path).toHaveLength(kept.indexOf(onCurve) + 1);
    expect(later).toHaveLength(kept.length - kept.indexOf(onCurve));
    const chosen = path.at(-1)!;
    expect(later[0]).toEqual(chosen);
    expect(chosen.x).toBeCloseTo(0, 9);
    expect(chosen.y).toBeCloseTo(0, 9);
    expect(drawn.find((d) => d.label === `step ${onCurve.toLocaleString('en-US')}`)!.data).toEqual([{ x: 0, y: 0 }]);
    expect(await axisTitles(page, 'landscape-landscape')).toEqual([
      'α: first principal direction of its trajectory',
      'β: second principal direction',
    ]);
    // the slice beside it: the line from its initial (t = 0) to its final (t = 1) parameters
    const slice = await datasets(page, 'landscape-slice');
    const ends = slice.find((d) => d.label === 'initial (t = 0) and final (t = 1) parameters')!.data;
    expect(ends.map((p) => p.x)).toEqual([0, 1]);
    await shot('landscape-pca');

    // random directions: computed again, the same centre, no trajectory
    await page.selectOption(id('landscape-directions'), 'random');
    await expect
      .poll(() => axisTitles(page, 'landscape-landscape'), COMPUTED)
      .toEqual(['α: filter-normalised random direction 1 (seed 0)', 'β: random direction 2']);
    const random = await datasets(page, 'landscape-landscape');
    expect(random[0].label).toBe(titleThere);
    expect(random[0].data[25 * 51 + 25].loss).toBe(centre.loss);
    expect(random.some((d) => d.label === 'trajectory')).toBe(false);
    expect(random[0].data.some((cell, k) => cell.loss !== cells[k].loss)).toBe(true);
    await shot('landscape-random');
    // a span typed wrong: one line naming it; put right, the plane spans it
    await page.fill(id('landscape-span'), '-1');
    await expect
      .poll(() => page.textContent(id('landscape-error')))
      .toBe('The span must be a number above 0 (or empty, for the default around this model).');
    await page.fill(id('landscape-span'), '0.5');
    await page.press(id('landscape-span'), 'Tab');
    await expect.poll(async () => (await datasets(page, 'landscape-landscape'))[0].data[0], COMPUTED).toMatchObject({ x: -0.5, y: -0.5 });
    // the finer grid, for the slide
    await page.selectOption(id('landscape-grid'), '101');
    await expect.poll(async () => (await datasets(page, 'landscape-landscape'))[0].data.length, COMPUTED).toBe(101 * 101);

    // exported as SVG through the dialog: the plane shown, with its own title and axes
    await page.click(id('landscape-landscape-export'));
    expect(await page.inputValue(id('export-title'))).toBe(titleThere);
    await page.selectOption(id('export-format'), 'svg');
    await page.selectOption(id('export-size'), '1280x720');
    await page.waitForTimeout(300); // the preview's redraw
    await shot('landscape-export');
    lab.dialogs.nextSave = join(lab.dataDir, 'landscape.svg');
    await page.click(id('export-save'));
    await expect.poll(() => page.textContent(id('notice'))).toContain('Chart saved to');
    const svg = readFileSync(lab.dialogs.nextSave, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*width="1280" height="720"/);
    expect(svg).toContain(titleThere);
    expect(svg).toContain('α: filter-normalised random direction 1 (seed 0)');
    expect(await page.isVisible(id('landscape-panel'))).toBe(true); // the panel stays for the next one
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible(id('landscape-panel'))).toBe(false);

    // a run that kept no snapshots: one line, in main's words
    rmSync(join(runDir, 'snapshots.npz'));
    await lab.reload();
    await page.click(id(`run-${runId}`));
    await page.click(id('chart-fit-landscape'));
    await expect
      .poll(() => page.textContent(id('landscape-error')), COMPUTED)
      .toMatch(/^\S+#\d+: this run kept no snapshots \(they are kept for networks of at most 256 parameters\)$/);
    await shot('landscape-none');
  }, 180_000);
});
