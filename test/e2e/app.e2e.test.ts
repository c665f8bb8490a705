// The renderer end to end in Chromium, window.lab bound to the real handler table: what a user does.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';
import { openLab, type Lab } from './harness.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
const id = (testid: string) => `[data-testid="${testid}"]`;

describe('Minima Lab in Chromium', () => {
  let lab: Lab;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await openLab();
  }, 180_000);
  afterAll(async () => { await lab?.close(); });

  const shot = (name: string) => lab.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('loads a built-in preset into the editor', async () => {
    const { page } = lab;
    await page.click(id('preset-builtin-seed-narrow-vs-wide'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: narrow SGD vs wide CyclicLR');
    expect(await page.inputValue(id('field-groups[1].name'))).toBe('modelsB');
    expect(await page.inputValue(id('field-seed'))).toBe('2025');
    await shot('editor');
  });

  it('shows an inline validation error for a bad value, and the unsaved marker', async () => {
    const { page } = lab;
    await page.fill(id('field-groups[1].optimizer.lr'), '-1');
    await expect.poll(() => page.textContent(id('error-groups[1].optimizer.lr'))).toMatch(/>0/);
    expect(await page.textContent(id('validation-summary'))).toContain('groups[1].optimizer.lr');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(true);
    expect(await page.isDisabled(id('run-start').replace('run-start', 'preset-save-as'))).toBe(true);
    await shot('editor-validation');
    await page.fill(id('field-groups[1].optimizer.lr'), '0.1');
    await expect.poll(() => page.isVisible(id('validation-summary'))).toBe(false);
  });

  it('saves as a user preset, which is still there after a reload', async () => {
    const { page } = lab;
    await page.fill(id('field-stop.maxSteps'), '3000');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('preset-save-as'));
    await page.fill(id('name-input'), 'My short seed');
    await page.click(id('name-ok'));
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('My short seed');
    const saved = JSON.parse(readFileSync(join(lab.dataDir, 'presets/my-short-seed.json'), 'utf8'));
    expect(saved.stop.maxSteps).toBe(3000);
    await lab.reload();
    await page.click(id('preset-user-my-short-seed'));
    await expect.poll(() => page.inputValue(id('field-stop.maxSteps'))).toBe('3000');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(false);
  });

  it('runs a short experiment: curves drawn, results table filled', async () => {
    const { page } = lab;
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 60_000 }).toBe('finished');
    expect(await page.textContent(id('run-models-done'))).toBe('20 / 20');
    expect(await page.textContent(id('run-engine'))).toContain('Minima Lab 0.1.0, backend fused');
    // the loss chart has drawn something besides the background
    const inked = await page.$eval(id('chart-loss-canvas'), (c) => {
      const canvas = c as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n++;
      return n / (pixels.length / 4);
    });
    expect(inked).toBeGreaterThan(0.01);
    await shot('run');
    await page.click(id('tab-results'));
    expect(await page.locator(`${id('model-table')} tbody tr`).count()).toBe(20);
    expect(await page.textContent(id('summary-models'))).toMatch(/^models10/);
    await page.click(id('results-log-toggle'));
    expect(await page.textContent(id('results-log'))).toContain('iMod: 0  lossInit: tensor(');
    await shot('results');
  }, 90_000);

  it('draws live without long frames, and stops a run midway', async () => {
    const { page } = lab;
    await page.click(id('tab-editor'));
    await page.fill(id('field-stop.maxSteps'), '1000001');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    await expect.poll(async () => Number((await page.textContent(id('run-speed')))?.replace(/\D/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
    // watch the main thread for tasks over 50 ms while the charts update live
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    await page.waitForTimeout(3000);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(longTasks, `tasks over 50 ms while drawing live: ${longTasks.join(', ')}`).toEqual([]);
    await page.click(id('run-stop'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 30_000 }).toBe('stopped');
    expect(await page.locator(`${id('model-table')} .status.stopped`).count()).toBeGreaterThan(0);
  }, 60_000);

  it('reopens a run from history with its charts', async () => {
    const { page } = lab;
    const runs = readdirSync(join(lab.dataDir, 'runs')).sort();
    expect(runs).toHaveLength(2);
    await page.click(id(`run-${runs[0]}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    expect(await page.locator(`${id('model-table')} tbody tr`).count()).toBe(20);
    expect(await page.isVisible(id('chart-finals-canvas'))).toBe(true);
    await shot('history-run');
  });

  it('exports a chart for a slide, to a file and to the clipboard', async () => {
    const { page } = lab;
    await page.click(id('chart-loss-export'));
    await page.selectOption(id('export-size'), '1280x720');
    await page.selectOption(id('export-theme'), 'dark');
    await page.fill(id('export-title'), 'Narrow against wide');
    await shot('export-dialog');
    lab.dialogs.nextSave = join(lab.dataDir, 'loss.png');
    await page.click(id('export-save'));
    await expect.poll(() => page.textContent(id('notice'))).toContain('Chart saved to');
    const png = readFileSync(lab.dialogs.nextSave);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]);
    await page.click(id('chart-finals-export'));
    await page.selectOption(id('export-format'), 'svg');
    await page.click(id('export-copy'));
    await expect.poll(() => lab.clipboard.text ?? '').toMatch(/^<\?xml[\s\S]*<svg[\s\S]*Final loss per group/);
  });

  it('imports a preset file, and lists an invalid one with its error', async () => {
    const { page } = lab;
    const file = join(lab.dataDir, 'incoming.json');
    const preset = JSON.parse(readFileSync(join(ROOT, 'resources/presets/question-linspace-batch.json'), 'utf8'));
    writeFileSync(file, JSON.stringify({ ...preset, name: 'From a colleague' }));
    writeFileSync(join(lab.dataDir, 'presets/broken.json'), '{ "format": "minima-lab-preset", "version": 7 }');
    lab.dialogs.nextOpen = file;
    await page.click(id('preset-import'));
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('From a colleague');
    // the draft still has the stopped run's unsaved edit: opening the import asks first
    await expect.poll(() => page.isVisible(id('discard-dialog'))).toBe(true);
    await page.click(id('discard-ok'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('From a colleague');
    expect(await page.textContent(id('preset-user-broken-error'))).toContain('version 7 is not supported');
    await shot('library');
  });

  it('asks before discarding unsaved changes', async () => {
    const { page } = lab;
    await page.click(id('preset-builtin-seed-wide-cyclic'));
    await page.fill(id('field-seed'), '7');
    await page.click(id('preset-builtin-seed-narrow-sgd'));
    await expect.poll(() => page.isVisible(id('discard-dialog'))).toBe(true);
    await page.click(id('discard-cancel'));
    expect(await page.inputValue(id('field-seed'))).toBe('7');
    await page.click(id('preset-builtin-seed-narrow-sgd'));
    await page.click(id('discard-ok'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: narrow model, plain SGD');
    expect(await page.inputValue(id('field-seed'))).toBe('2025');
  });
});
