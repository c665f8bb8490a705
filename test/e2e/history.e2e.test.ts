// The run history end to end in Chromium over the real handler table: how each run ended, first on its
// line; how many of its models a run stopped early kept; and what a reload must not lose: unsaved edits
// (it asks first) and the last run (back on the Run screen). Screenshots of the history at 1280×720 and
// 1920×1080 go to test-results/screenshots.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/ipc/contract.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const seed = () => readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
/** The seed experiment cut short: per-model streams, 3000 steps. */
const shortSeed = () => ({ ...seed(), name: 'Short seed', rng: 'per-model', stop: { maxSteps: 3000, lossLimit: 0.005 } });

describe.each([
  [1280, 720],
  [1920, 1080],
])('the run history at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('says first how each run ended, and how many of its models a stopped run kept', async () => {
    let [finished, stopped] = [{} as RunRecord, {} as RunRecord];
    const { page } = await open(async (lab) => {
      finished = await lab.runToEnd(shortSeed());
      stopped = await lab.runStopped({ ...seed(), rng: 'per-model' }); // the whole seed experiment, stopped once a model has finished
    });
    expect(stopped.status).toBe('stopped');
    const kept = stopped.modelsKept!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20);
    await expect
      .poll(() => page.textContent(id(`run-${stopped.id}`)))
      .toMatch(new RegExp(`stopped\\s·\\s+${kept} of 20 models\\s·\\s+[^·]+$`));
    expect(await page.textContent(id(`run-${finished.id}`))).toMatch(/finished\s·\s+20 models\s·\s+[^·]+$/);
    // every part of the line is whole on screen, inside its entry: a narrow sidebar wraps it, cutting none
    for (const run of [stopped, finished]) {
      const entry = (await page.locator(id(`run-${run.id}`)).boundingBox())!;
      const parts = await page.locator(`${id(`run-${run.id}`)} .meta > span`).all();
      expect(parts).toHaveLength(3);
      for (const part of parts) {
        const box = (await part.boundingBox())!;
        expect(box.width).toBeGreaterThan(20);
        expect(box.x + box.width).toBeLessThanOrEqual(entry.x + entry.width);
      }
    }
    await shot('history-status');
    await page.click(id(`run-${stopped.id}`));
    await expect.poll(() => page.textContent(id('results-record'))).toContain(`${kept} of 20 models`);
    // the summary too: each group's models kept of its 10, and the models Stop interrupted in a column of their own
    for (const group of ['models', 'modelsB']) expect(await page.textContent(id(`summary-${group}-models`))).toMatch(/^(\d+ of 10|10)$/);
    expect(await page.textContent(id('summary-head-stopped'))).toBe('stopped');
    expect(await page.textContent(id('results-models-fold'))).toContain(`Models (${kept} of 20)`);
    await shot('results-stopped');
  }, 90_000);

  it('renames a run and gives it a note, shown in the history and the Results header, kept through a reload', async () => {
    let runs: RunRecord[] = [];
    const lab = await open(async (lab) => {
      runs = [await lab.runToEnd(shortSeed()), await lab.runToEnd(shortSeed())]; // one preset, one name: which is which?
    });
    const { page } = lab;
    const [first] = runs;
    await page.click(id(`run-${first.id}`));
    await page.click(id('results-rename'));
    expect(await page.inputValue(id('run-name-input'))).toBe('Short seed');
    await page.fill(id('run-name-input'), '   ');
    expect(await page.isDisabled(id('run-name-ok'))).toBe(true); // a run keeps a name
    await page.fill(id('run-name-input'), 'Short seed, before the fix');
    const note = 'Per-model streams; 3000 steps is too few for the wide group to escape.\nRun again at 20,000.';
    await page.fill(id('run-note-input'), note);
    await shot('run-name-dialog');
    await page.click(id('run-name-ok'));
    for (const when of ['renamed', 'reloaded']) {
      if (when === 'reloaded') {
        await lab.reload();
        await page.click(id(`run-${first.id}`));
      }
      await expect.poll(() => page.textContent(id('results-name')), { message: when }).toBe('Short seed, before the fix');
      expect(await page.textContent(id('results-note'))).toBe(note);
      // the history lists the runs again just after
      await expect.poll(() => page.textContent(`${id(`run-${first.id}`)} .name`)).toBe('Short seed, before the fix');
      expect(await page.textContent(id(`run-${first.id}-note`))).toBe(note);
      expect(await page.textContent(`${id(`run-${runs[1].id}`)} .name`)).toBe('Short seed'); // the other run is as it was
    }
    await shot('results-renamed');
    // an emptied note goes from both places
    await page.click(id('results-rename'));
    await page.fill(id('run-note-input'), '');
    await page.click(id('run-name-ok'));
    await expect.poll(() => page.isVisible(id('results-note'))).toBe(false);
    await expect.poll(() => page.isVisible(id(`run-${first.id}-note`))).toBe(false);
  }, 90_000);
});

describe('what a reload keeps', () => {
  const { open } = labSuite();

  it('asks before a reload drops unsaved edits, and only while there are some', async () => {
    const lab = await open();
    const { page } = lab;
    await expect.poll(() => page.inputValue(id('field-seed'))).toBe('2025');
    await page.fill(id('field-seed'), '7');
    expect(await page.isVisible(id('unsaved-marker'))).toBe(true);
    const question = page.waitForEvent('dialog');
    void page.evaluate(() => location.reload());
    const asked = await question;
    expect(asked.type()).toBe('beforeunload');
    await asked.dismiss(); // "stay": the page and its edits stay
    expect(await page.inputValue(id('field-seed'))).toBe('7');
    // the edit undone, nothing is unsaved: the reload goes without a question
    await page.fill(id('field-seed'), '2025');
    await expect.poll(() => page.isVisible(id('unsaved-marker'))).toBe(false);
    const questions: string[] = [];
    page.on('dialog', (d) => {
      questions.push(d.type());
      void d.dismiss();
    });
    await lab.reload();
    await expect.poll(() => page.inputValue(id('field-seed'))).toBe('2025');
    expect(questions).toEqual([]);
  });

  it('opens the newest run again on the Run screen after a reload', async () => {
    let newest = {} as RunRecord;
    const lab = await open(async (lab) => {
      await lab.runToEnd(shortSeed());
      newest = await lab.runToEnd({ ...shortSeed(), name: 'Shorter seed', stop: { maxSteps: 1000, lossLimit: 0.005 } });
    });
    const { page } = lab;
    for (const when of ['opened', 'reloaded']) {
      if (when === 'reloaded') await lab.reload();
      expect(await page.getAttribute(id('tab-editor'), 'class'), when).toContain('active'); // the editor stays what opens first
      await page.click(id('tab-run'));
      await expect.poll(() => page.textContent(id('run-status')), { message: when }).toBe('finished');
      expect(await page.textContent(id('run-models-done'))).toBe('20 / 20');
      await page.click(id('tab-results'));
      expect(await page.textContent(id('results-name'))).toBe(newest.name);
      await page.click(id('tab-editor'));
    }
  }, 60_000);
});
