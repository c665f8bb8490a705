// The renderer end to end in Chromium, window.lab bound to the real handler table: what a user does.
// Every test opens its own page over its own data directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION, PRESETS, readJson } from '../helpers.ts';
import { labSuite, type Lab } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const seedPreset = () => readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
/** The seed experiment cut short: per-model streams, 3000 steps. */
const shortSeed = () => ({ ...seedPreset(), name: 'Short seed', rng: 'per-model', stop: { maxSteps: 3000, lossLimit: 0.005 } });

describe('Minima Lab in Chromium', () => {
  const { open, shot } = labSuite();
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
    await expect.poll(() => page.textContent(id('error-groups[1].optimizer.lr'))).toBe('must be greater than 0');
    expect((await page.textContent(id('validation-summary')))?.trim()).toBe('Group 2 (modelsB) › Learning rate: must be greater than 0');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(true);
    expect(await page.isDisabled(id('preset-save-as'))).toBe(true);
    await shot('editor-validation');
    await page.fill(id('field-groups[1].optimizer.lr'), '0.1');
    await expect.poll(() => page.isVisible(id('validation-summary'))).toBe(false);
  });

  it('shows every problem at once, each beside its field, listed at the top: a click on one goes to its field', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-groups[0].hidden'), '0');
    await page.press(id('field-groups[0].hidden'), 'Tab');
    await page.fill(id('field-groups[1].optimizer.lr'), '-1');
    await expect.poll(() => page.textContent(id('error-groups[1].optimizer.lr'))).toBe('must be greater than 0');
    expect(await page.textContent(id('error-groups[0].hidden'))).toBe('must be greater than 0');
    expect(await page.textContent(id('validation-0'))).toBe('Group 1 (models) › Hidden widths: must be greater than 0');
    expect(await page.textContent(id('validation-1'))).toBe('Group 2 (modelsB) › Learning rate: must be greater than 0');
    expect(await page.textContent(id('validation-summary'))).toMatch(/^\s*2 problems to fix:/);
    await page.$eval(id('screen'), (el) => el.scrollTo(0, 0));
    await shot('editor-problems');
    await page.click(id('tab-run'));
    expect(await page.textContent(id('run-preset-problem'))).toBe(
      'Fix the preset first: Group 1 (models) › Hidden widths: must be greater than 0 (and 1 more, listed in the Preset tab)',
    );
    await page.click(id('tab-editor'));
    await page.click(id('validation-0'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('field-groups[0].hidden');
    await page.click(id('validation-1'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('field-groups[1].optimizer.lr');
    // one fixed: the other stays, alone
    await page.fill(id('field-groups[0].hidden'), '1');
    await page.press(id('field-groups[0].hidden'), 'Tab');
    await expect.poll(() => page.isVisible(id('error-groups[0].hidden'))).toBe(false);
    expect((await page.textContent(id('validation-summary')))?.trim()).toBe('Group 2 (modelsB) › Learning rate: must be greater than 0');
  });

  it('says before Start how long the run may take, and asks first when that is over ten minutes', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.click(id('tab-run'));
    // 20 models × 1,000,001 steps on torch's one stream, at 100,000 model-steps a second: 200 s
    expect(await page.textContent(id('run-estimate'))).toBe('At most about 3 min 20 s on this computer');
    await page.click(id('tab-editor'));
    await page.fill(id('field-stop.maxSteps'), '1000000000');
    await page.click(id('tab-run'));
    // 20 × 10⁹ model-steps ÷ 100,000 a second = 200,000 s
    expect(await page.textContent(id('run-estimate'))).toBe('At most about 55 h 33 min on this computer');
    await page.click(id('run-start'));
    await expect.poll(() => page.isVisible(id('confirm-dialog'))).toBe(true);
    expect(await page.textContent(id('confirm-dialog'))).toContain('Start a run that may take 55 h 33 min?');
    expect(await page.getAttribute(id('confirm-ok'), 'class')).toContain('primary'); // it spends time, loses nothing: not a danger
    await shot('start-long-run');
    await page.click(id('confirm-cancel'));
    expect(await page.isVisible(id('run-stats'))).toBe(false); // nothing started
    await page.click(id('run-start'));
    await page.click(id('confirm-ok'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    await page.click(id('run-stop'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 30_000 }).toBe('stopped');
  }, 60_000);

  it('names what an empty name needs: its field says so, and Start names no preset', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-name'), '');
    await expect.poll(() => page.textContent(id('error-name'))).toBe('must not be empty');
    await page.click(id('tab-run'));
    expect((await page.textContent(id('run-start')))?.trim()).toBe('Start');
    expect(await page.isDisabled(id('run-start'))).toBe(true);
  });

  it('keeps the unsaved mark in sight while a notice is shown', async () => {
    const lab = await open();
    const { page } = lab;
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-name'), 'A preset whose name is long enough to reach across the header to where notices are shown');
    lab.dialogs.nextSave = join(lab.dataDir, 'a-preset-with-a-long-name-exported-to-a-folder-of-its-own.json');
    await page.click(id('preset-export'));
    await expect.poll(() => page.isVisible(id('notice'))).toBe(true);
    const [mark, notice] = await Promise.all(
      [id('unsaved-marker'), id('notice')].map((s) => page.$eval(s, (el) => el.getBoundingClientRect().toJSON() as DOMRect)),
    );
    expect(mark.width).toBeGreaterThan(0);
    expect(mark.right).toBeLessThanOrEqual(notice.left);
    await shot('notice-and-unsaved-mark');
  });

  it('reaches the screen from the keyboard: a skip link first, then tabs the arrow keys move between', async () => {
    const { page } = await open();
    await expect.poll(() => page.isVisible(id('preset-editor'))).toBe(true);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('skip-link');
    expect(await page.textContent(id('skip-link'))).toBe('Skip to the Preset screen');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('screen');
    expect(await page.getAttribute(id('screen'), 'aria-labelledby')).toBe('tab-editor');
    // the tabs: one Tab stop, the arrows move and open
    expect(await page.locator('[role="tablist"] [role="tab"]').count()).toBe(4);
    await page.focus(id('tab-editor'));
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-run');
    expect(await page.getAttribute(id('tab-run'), 'aria-selected')).toBe('true');
    expect(await page.getAttribute(id('tab-editor'), 'tabindex')).toBe('-1');
    expect(await page.isVisible(id('run-panel'))).toBe(true);
    await page.keyboard.press('End');
    expect(await focused()).toBe('tab-runs');
    expect(await page.isVisible(id('runs'))).toBe(true);
    await page.keyboard.press('ArrowRight'); // round to the first
    expect(await focused()).toBe('tab-editor');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('tab-runs');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('tab-results');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('tab-editor');
    expect(await page.isVisible(id('preset-editor'))).toBe(true);
  });

  it('opens on the seed experiment with a card that runs it in one click, until the first run', async () => {
    const { page } = await open();
    await expect.poll(() => page.isVisible(id('welcome'))).toBe(true);
    expect(await page.textContent(id('current-preset'))).toContain('Seed: narrow SGD vs wide CyclicLR');
    await page.setViewportSize({ width: 1280, height: 720 });
    await shot('welcome');
    // an edit is not the seed as it is: the card steps aside
    await page.fill(id('field-stop.maxSteps'), '2000');
    await expect.poll(() => page.isVisible(id('welcome'))).toBe(false);
    await page.fill(id('field-stop.maxSteps'), '1000001');
    await expect.poll(() => page.isVisible(id('welcome'))).toBe(true);
    await page.click(id('welcome-run'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    await page.click(id('run-stop'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 30_000 }).toBe('stopped');
    await page.click(id('tab-editor'));
    expect(await page.isVisible(id('preset-editor'))).toBe(true);
    expect(await page.isVisible(id('welcome'))).toBe(false);
  }, 60_000);

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
    expect(await page.isVisible(id('model-table'))).toBe(false); // folded away, not drawn at all
    await page.click(`${id('results-models-fold')} summary`);
    await expect.poll(() => page.locator(`${id('model-table')} tbody tr`).count()).toBe(20);
    expect(await page.textContent(id('summary-models'))).toMatch(/^models10/);
    await page.click(id('results-log-toggle')); // unfolds the log
    expect(await page.textContent(id('results-log'))).toContain('iMod: 0  lossInit: tensor(');
    await shot('results');
  }, 90_000);

  it('stops a run midway and keeps it as stopped', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    // more workers than a run may ask for: said beside the field, and Start waits
    await page.fill(id('run-workers'), '65');
    expect(await page.textContent(id('run-workers-problem'))).toBe('Workers: expected a whole number from 1 to 64');
    expect(await page.isDisabled(id('run-start'))).toBe(true);
    // a backend that trains in one worker takes no count from the field: nothing to fix there
    await page.selectOption(id('run-backend'), 'tfjs-cpu');
    expect(await page.isVisible(id('run-workers-problem'))).toBe(false);
    expect(await page.isDisabled(id('run-start'))).toBe(false);
    await page.selectOption(id('run-backend'), 'auto');
    expect(await page.isVisible(id('run-workers-problem'))).toBe(true);
    await page.fill(id('run-workers'), '2');
    expect(await page.isVisible(id('run-workers-problem'))).toBe(false);
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status'))).toBe('running');
    await expect
      .poll(async () => Number((await page.textContent(id('run-speed')))?.replace(/\D/g, '')), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.click(id('run-stop'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 30_000 }).toBe('stopped');
    await page.click(`${id('model-table-fold')} summary`); // the per-model table is folded away
    await expect.poll(() => page.locator(`${id('model-table')} .status.stopped`).count()).toBeGreaterThan(0);
  }, 60_000);

  it('reopens a run from history with its charts', async () => {
    let runId = '';
    const { page } = await open(async (lab) => {
      runId = (await lab.runToEnd(shortSeed())).id;
    });
    await page.click(id(`run-${runId}`));
    await expect.poll(() => page.isVisible(id('summary-table'))).toBe(true);
    await page.click(`${id('results-models-fold')} summary`);
    await expect.poll(() => page.locator(`${id('model-table')} tbody tr`).count()).toBe(20);
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
    // the preview draws what will be saved: at the chosen size, on the dark background
    const previewCorner = () =>
      page.$eval(id('export-preview'), (canvas: HTMLCanvasElement) => {
        const [r, g, b] = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
        return [canvas.width, canvas.height, r + g + b < 150];
      });
    await expect.poll(previewCorner).toEqual([1280, 720, true]);
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
    // the fit card's units box (off for the two models it draws) goes into the export as on screen
    expect(await page.isChecked(id('chart-fit-units'))).toBe(false);
    await page.check(id('chart-fit-units'));
    await page.click(id('chart-fit-export'));
    await page.selectOption(id('export-format'), 'svg');
    await page.click(id('export-copy'));
    await expect.poll(() => lab.clipboard.text ?? '').toMatch(/<svg[\s\S]*units live on \[0, 1\]/);
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
    await expect.poll(() => page.isVisible(id('confirm-dialog'))).toBe(true);
    await page.click(id('confirm-ok'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('From a colleague');
  });

  it('asks before discarding unsaved changes', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-wide-cyclic', 'Seed: wide model');
    await page.fill(id('field-seed'), '7');
    await page.click(id('preset-builtin-seed-narrow-sgd'));
    await expect.poll(() => page.isVisible(id('confirm-dialog'))).toBe(true);
    await page.click(id('confirm-cancel'));
    expect(await page.inputValue(id('field-seed'))).toBe('7');
    await page.click(id('preset-builtin-seed-narrow-sgd'));
    await page.click(id('confirm-ok'));
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: narrow model, plain SGD');
    expect(await page.inputValue(id('field-seed'))).toBe('2025');
  });

  it('opens the seed experiment on first launch, and the preset open last time after that', async () => {
    const lab = await open();
    const { page } = lab;
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: narrow SGD vs wide CyclicLR');
    await openPreset(page, 'seed-wide-cyclic', 'Seed: wide model');
    await lab.reload();
    await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: wide model');
  });

  it('never reads text it cannot parse as a value: bad hidden widths and broken JSON are inline errors that block Save and Start', async () => {
    const lab = await open();
    const { page } = lab;
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    for (const text of ['sixteen', '16x', '8, x', '8,,8']) {
      await page.fill(id('field-groups[0].hidden'), text);
      await page.press(id('field-groups[0].hidden'), 'Tab');
      await expect.poll(() => page.textContent(id('error-groups[0].hidden'))).toMatch(/is not a whole number|a number is missing/);
      expect(await page.textContent(id('validation-summary'))).toMatch(/^\s*Group 1 \(models\) › Hidden widths: /);
      expect(await page.inputValue(id('field-groups[0].hidden'))).toBe(text); // what was typed stays on screen
      expect(await page.isDisabled(id('preset-save-as'))).toBe(true);
    }
    await page.click(id('tab-run'));
    expect(await page.isDisabled(id('run-start'))).toBe(true);
    await page.click(id('tab-editor'));
    await page.click(id('preset-json-toggle'));
    expect(await page.inputValue(id('preset-json'))).toMatch(/"hidden": \[\s*1\s*\]/); // the draft never took the text
    await page.click(id('preset-json-toggle')); // back to the form
    await page.fill(id('field-groups[0].hidden'), '2');
    await page.press(id('field-groups[0].hidden'), 'Tab');
    await expect.poll(() => page.isVisible(id('validation-summary'))).toBe(false);
    // broken JSON: nothing saves or starts until it parses; what is saved is what is on screen
    await page.click(id('preset-json-toggle'));
    const good = await page.inputValue(id('preset-json'));
    await page.fill(id('preset-json'), good.replace('"seed": 2025', '"seed": 2025,,'));
    await expect.poll(() => page.textContent(id('validation-summary'))).toMatch(/The preset: the JSON does not parse/);
    expect(await page.isDisabled(id('preset-save-as'))).toBe(true);
    expect(await page.isDisabled(id('preset-json-toggle'))).toBe(true);
    await page.click(id('tab-run'));
    expect(await page.isDisabled(id('run-start'))).toBe(true);
    await page.click(id('tab-editor'));
    await page.fill(id('preset-json'), good.replace('"seed": 2025', '"seed": 77'));
    await expect.poll(() => page.isDisabled(id('preset-save-as'))).toBe(false);
    await page.click(id('preset-save-as'));
    await page.fill(id('name-input'), 'From JSON');
    await page.click(id('name-ok'));
    await expect.poll(() => existsSync(join(lab.dataDir, 'presets/from-json.json'))).toBe(true);
    const saved = readJson<{ seed: number; groups: { hidden: number[] }[] }>(join(lab.dataDir, 'presets/from-json.json'));
    expect([saved.seed, saved.groups[0].hidden]).toEqual([77, [2]]);
  });

  it('dialogs take the focus, keep Tab inside, cancel on Escape and confirm on Enter', async () => {
    const lab = await open();
    const { page } = lab;
    await openPreset(page, 'seed-narrow-sgd', 'Seed: narrow model');
    await page.click(id('preset-save-as'));
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('name-input');
    for (let k = 0; k < 7; k++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="name-dialog"]')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible(id('name-dialog'))).toBe(false);
    expect(readdirSync(lab.dataDir)).not.toContain('presets'); // nothing was saved
    await page.click(id('preset-save-as'));
    await page.fill(id('name-input'), 'Kept');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('Kept');
    // the discard question: Escape keeps editing
    await page.fill(id('field-seed'), '9');
    await page.click(id('preset-builtin-seed-wide-cyclic'));
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible(id('confirm-dialog'))).toBe(false);
    expect(await page.inputValue(id('field-seed'))).toBe('9');
  });

  it('asks before deleting a preset or a run; the editor says when the open preset was deleted', async () => {
    let runId = '';
    const lab = await open(async (lab) => {
      runId = (await lab.runToEnd({ ...seedPreset(), name: 'To delete', rng: 'per-model', stop: { maxSteps: 200, lossLimit: 0.005 } })).id;
    });
    const { page } = lab;
    await openPreset(page, 'seed-narrow-sgd', 'Seed: narrow model');
    await page.click(id('preset-save-as'));
    await page.fill(id('name-input'), 'Doomed');
    await page.click(id('name-ok'));
    await expect.poll(() => page.textContent(id('user-presets'))).toContain('Doomed');
    const file = join(lab.dataDir, 'presets/doomed.json');
    await page.click(id('preset-user-doomed-delete'));
    await expect.poll(() => page.textContent(id('confirm-dialog'))).toContain('Delete the preset “Doomed”?');
    await page.click(id('confirm-cancel'));
    expect(existsSync(file)).toBe(true);
    await page.click(id('preset-user-doomed-delete'));
    await page.click(id('confirm-ok'));
    await expect.poll(() => existsSync(file)).toBe(false);
    await expect.poll(() => page.textContent(id('orphaned'))).toContain('“Doomed” was deleted');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(true);
    await shot('deleted-preset');
    await page.click(id(`run-${runId}-delete`));
    await expect.poll(() => page.textContent(id('confirm-dialog'))).toContain('Delete the run “To delete”?');
    // its date as the run list writes it
    const listed = (await page.textContent(`${id(`run-${runId}`)} .meta`))!.split(/\s*·\s*/).find((part) => /\d{4}/.test(part))!;
    expect(listed).toMatch(/\d{4}/);
    expect(await page.textContent(id('confirm-dialog'))).toContain(`Started ${listed}; its`);
    await page.keyboard.press('Escape');
    expect(existsSync(join(lab.dataDir, 'runs', runId))).toBe(true);
    await page.click(id(`run-${runId}-delete`));
    await page.click(id('confirm-ok'));
    await expect.poll(() => existsSync(join(lab.dataDir, 'runs', runId))).toBe(false);
  }, 60_000);

  it('says what worked briefly (the notice goes by itself) and marks a run started from unsaved edits', async () => {
    const { page } = await open();
    await openPreset(page, 'seed-narrow-vs-wide', 'Seed: narrow');
    await page.fill(id('field-stop.maxSteps'), '300');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 60_000 }).toBe('finished');
    await expect.poll(() => page.textContent(id('notice'))).toContain('Run finished.');
    await expect.poll(() => page.isVisible(id('notice')), { timeout: 15_000 }).toBe(false);
    await page.click(id('tab-results'));
    expect(await page.textContent(id('results-record'))).toContain('from unsaved edits');
  }, 90_000);
});
