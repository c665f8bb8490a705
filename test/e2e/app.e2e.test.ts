// The renderer end to end in Chromium, window.lab bound to the real handler table: what a user does.
// Every test opens its own page over its own data directory.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION, PRESETS, readJson, ROOT } from '../helpers.ts';
import { launchChromium, openLab, type Lab } from './harness.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
const id = (testid: string) => `[data-testid="${testid}"]`;
const seedPreset = () => readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
/** The seed experiment cut short: per-model streams, 3000 steps. */
const shortSeed = () => ({ ...seedPreset(), name: 'Short seed', rng: 'per-model', stop: { maxSteps: 3000, lossLimit: 0.005 } });

describe('Minima Lab in Chromium', () => {
  let browser: Browser;
  let lab: Lab | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (before?: Parameters<typeof openLab>[0]['before']) => {
    lab = await openLab({ browser, before });
    return lab;
  };
  const shot = (name: string) => lab!.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** Opens a built-in preset in the editor. */
  const openPreset = async (page: Lab['page'], file: string, title: string) => {
    await page.click(id(`preset-builtin-${file}`));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain(title);
  };

  it('loads a built-in preset into the editor', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow SGD vs wide CyclicLR');
    expect(await page.inputValue(id('field-groups[1].name'))).toBe('modelsB');
    expect(await page.inputValue(id('field-seed'))).toBe('2025');
    await shot('editor');
  });

  it('shows an inline validation error for a bad value, and the unsaved marker', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-groups[1].optimizer.lr'), '-1');
    await expect.poll(() => page.textContent(id('error-groups[1].optimizer.lr'))).toMatch(/>0/);
    expect(await page.textContent(id('validation-summary'))).toContain('groups[1].optimizer.lr');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(true);
    expect(await page.isDisabled(id('preset-save-as'))).toBe(true);
    await shot('editor-validation');
    await page.fill(id('field-groups[1].optimizer.lr'), '0.1');
    await expect.poll(() => page.isVisible(id('validation-summary'))).toBe(false);
  });

  it('fills a new schedule with the schema defaults, which are PyTorch’s', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-sgd', 'Seed: narrow model');
    await page.selectOption(id('field-groups[0].schedule.kind'), 'cyclic');
    expect(await page.inputValue(id('field-groups[0].schedule.mode'))).toBe('triangular');
    expect(await page.inputValue(id('field-groups[0].schedule.stepSizeUp'))).toBe('2000');
    expect(await page.isChecked(id('field-groups[0].schedule.cycleMomentum'))).toBe(true);
    await page.selectOption(id('field-groups[0].schedule.kind'), 'step');
    expect(await page.inputValue(id('field-groups[0].schedule.gamma'))).toBe('0.1');
  });

  it('saves as a user preset, which is still there after a reload', async () => {
    const lab = await open();
    const { page } = lab;
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-stop.maxSteps'), '3000');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('preset-save-as'));
    await page.fill(id('name-input'), 'My short seed');
    await page.click(id('name-ok'));
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('My short seed');
    const saved = readJson<{ stop: { maxSteps: number } }>(join(lab.dataDir, 'presets/my-short-seed.json'));
    expect(saved.stop.maxSteps).toBe(3000);
    await lab.reload();
    await page.click(id('preset-user-my-short-seed'));
    await expect.poll(() => page.inputValue(id('field-stop.maxSteps'))).toBe('3000');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(false);
  });

  it('runs a short experiment: curves drawn, results table filled', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-stop.maxSteps'), '3000');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 60_000 }).toBe('finished');
    expect(await page.textContent(id('run-models-done'))).toBe('20 / 20');
    expect(await page.textContent(id('run-engine'))).toContain(`Minima Lab ${PACKAGE_VERSION}, backend fused`);
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

  it('stops a run midway and keeps it as stopped', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    await expect
      .poll(async () => Number((await page.textContent(id('run-speed')))?.replace(/\D/g, '')), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.click(id('run-stop'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 30_000 }).toBe('stopped');
    expect(await page.locator(`${id('model-table')} .status.stopped`).count()).toBeGreaterThan(0);
  }, 60_000);

  it('reopens a run from history with its charts', async () => {
    let runId = '';
    const { page } = await open(async (lab) => {
      runId = (await lab.runToEnd(shortSeed())).id;
    });
    await page.click(id(`run-${runId}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    expect(await page.locator(`${id('model-table')} tbody tr`).count()).toBe(20);
    expect(await page.isVisible(id('chart-finals-canvas'))).toBe(true);
    await shot('history-run');
  }, 60_000);

  it('exports a chart for a slide, to a file and to the clipboard', async () => {
    let runId = '';
    const lab = await open(async (lab) => {
      runId = (await lab.runToEnd(shortSeed())).id;
    });
    const { page } = lab;
    await page.click(id(`run-${runId}`));
    await page.click(id('chart-loss-export'));
    expect(await page.inputValue(id('export-y-label'))).toBe('validation MSE loss'); // from the chart spec
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
  }, 60_000);

  it('imports a preset file, and lists an invalid one with its error', async () => {
    const lab = await open(async (lab) => {
      mkdirSync(join(lab.dataDir, 'presets'), { recursive: true });
      writeFileSync(join(lab.dataDir, 'presets/broken.json'), '{ "format": "minima-lab-preset", "version": 7 }');
    });
    const { page } = lab;
    const file = join(lab.dataDir, 'incoming.json');
    writeFileSync(file, JSON.stringify({ ...readJson(join(PRESETS, 'question-linspace-batch.json')), name: 'From a colleague' }));
    lab.dialogs.nextOpen = file;
    await page.click(id('preset-import'));
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('From a colleague');
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('From a colleague');
    expect(await page.textContent(id('preset-user-broken-error'))).toContain('version 7 is not supported');
    expect(readdirSync(join(lab.dataDir, 'presets')).sort()).toEqual(['broken.json', 'from-a-colleague.json']);
    await shot('library');
  });

  it('asks before an import replaces unsaved changes', async () => {
    const lab = await open();
    const { page } = lab;
    await openPreset(page, 'seed-wide-cyclic', 'Seed: wide model');
    await page.fill(id('field-seed'), '7');
    const file = join(lab.dataDir, 'incoming.json');
    writeFileSync(file, JSON.stringify({ ...readJson(join(PRESETS, 'question-linspace-batch.json')), name: 'From a colleague' }));
    lab.dialogs.nextOpen = file;
    await page.click(id('preset-import'));
    await expect.poll(() => page.isVisible(id('discard-dialog'))).toBe(true);
    await page.click(id('discard-ok'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('From a colleague');
  });

  it('asks before discarding unsaved changes', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-wide-cyclic', 'Seed: wide model');
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
