// The runs table end to end in Chromium over the real handler table: every run with its preset, when,
// status, models kept of planned, how many reached and its best final loss; headings that sort on a
// click and from the keyboard (aria-sort); two runs ticked and what differs between their presets, or
// "same preset". Screenshots at 1280×720 and 1920×1080 go to test-results/screenshots.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunRecord, StoredRun } from '../../core/ipc/contract.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite, type Lab } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const seed = () => readJson<Record<string, any>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
/** The seed experiment cut short: per-model streams, 3000 steps. */
const shortSeed = (): Record<string, any> => ({
  ...seed(),
  name: 'Short seed',
  rng: 'per-model',
  stop: { maxSteps: 3000, lossLimit: 0.005 },
});
/** The same with the wide group's rate halved and a cap of 2000 steps. */
const slowerWide = () => {
  const p = shortSeed();
  return {
    ...p,
    name: 'Short seed, wide at lr 0.05',
    stop: { maxSteps: 2000, lossLimit: 0.005 },
    groups: [p.groups[0], { ...p.groups[1], optimizer: { ...p.groups[1].optimizer, lr: 0.05 } }],
  };
};

/** What the table should say of a run, from its stored models (not from its record): reached of those not stopped, the lowest final loss. */
async function fromModels(lab: Pick<Lab, 'handlers'>, run: RunRecord): Promise<{ rate: number; best: number }> {
  const reply = await lab.handlers.dispatch('getRun', { id: run.id });
  if (!reply.ok) throw new Error(reply.error);
  const models = (reply.value as StoredRun).result!.models;
  const ended = models.filter((m) => m.status !== 'stopped');
  const finals = models.flatMap((m) => (m.lossFinal === null ? [] : [m.lossFinal]));
  return { rate: ended.filter((m) => m.status === 'reached').length / ended.length, best: Math.min(...finals) };
}

const rowIds = (page: Page) =>
  page.$$eval(`${id('runs-table')} tbody tr`, (rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('runs-row-', '')));
const sortOf = (page: Page, column: string) => page.getAttribute(`th:has(${id(`runs-sort-${column}`)})`, 'aria-sort');

describe.each([
  [1280, 720],
  [1920, 1080],
])('the runs table at %i×%i', (width, height) => {
  const { open, shot } = labSuite({ width, height });

  it('sorts by any column on a click or a key, and says what differs between two runs’ presets', async () => {
    type Name = 'first' | 'again' | 'slower' | 'stopped';
    const runs = {} as Record<Name, RunRecord>;
    const expected = {} as Record<Name, { rate: number; best: number }>;
    const lab = await open(async (lab) => {
      runs.first = await lab.runToEnd(shortSeed());
      runs.again = await lab.runToEnd(shortSeed()); // the same preset again
      runs.slower = await lab.runToEnd(slowerWide());
      runs.stopped = await lab.runStopped({ ...seed(), rng: 'per-model' });
      for (const [name, run] of Object.entries(runs)) expected[name as Name] = await fromModels(lab, run);
    });
    const { page } = lab;
    const ids = Object.fromEntries(Object.entries(runs).map(([name, run]) => [run.id, name]));
    const order = async () => (await rowIds(page)).map((runId) => ids[runId]);
    /** The runs by one of the figures expected, ties newest first. */
    const by = (figure: 'rate' | 'best', descending: boolean) =>
      (Object.keys(runs) as Name[]).sort(
        (a, b) => (descending ? -1 : 1) * (expected[a][figure] - expected[b][figure]) || runs[b].startedAt.localeCompare(runs[a].startedAt),
      );

    await page.click(id('runs-table-open')); // from the history's head
    await expect.poll(() => page.isVisible(id('runs-table'))).toBe(true);
    expect(await page.getAttribute(id('tab-runs'), 'aria-selected')).toBe('true');
    // newest first, as the history lists them
    expect(await order()).toEqual(['stopped', 'slower', 'again', 'first']);
    expect(await sortOf(page, 'when')).toBe('descending');
    expect(await sortOf(page, 'reached')).toBe('none');
    // the stopped run: its models kept of the 20 planned, and its status
    expect(await page.textContent(id(`runs-models-${runs.stopped.id}`))).toBe(`${runs.stopped.modelsKept} of 20`);
    expect(await page.textContent(id(`runs-models-${runs.first.id}`))).toBe('20');
    expect(await page.textContent(id(`runs-status-${runs.stopped.id}`))).toBe('stopped');
    expect(await page.textContent(id(`runs-reached-${runs.first.id}`))).toMatch(/^\d+ of 20 \(\d+ %\)$/);

    // a click sorts by reach, most first
    await page.click(id('runs-sort-reached'));
    expect(await sortOf(page, 'reached')).toBe('descending');
    expect(await sortOf(page, 'when')).toBe('none');
    expect(await order()).toEqual(by('rate', true));
    // the keyboard: Enter on the best final loss's heading sorts lowest first, Space turns it round
    await page.focus(id('runs-sort-best'));
    await page.keyboard.press('Enter');
    expect(await sortOf(page, 'best')).toBe('ascending');
    expect(await order()).toEqual(by('best', false));
    await page.keyboard.press('Space');
    expect(await sortOf(page, 'best')).toBe('descending');
    expect(await order()).toEqual(by('best', true));

    // two runs of one preset: nothing differs
    expect(await page.isVisible(id('runs-differences-hint'))).toBe(true);
    await page.click(id(`runs-tick-${runs.first.id}`));
    await page.click(id(`runs-tick-${runs.again.id}`));
    await expect.poll(() => page.isVisible(id('runs-same-preset'))).toBe(true);
    expect(await page.isVisible(id('runs-differences-table'))).toBe(false);
    await shot('runs-same-preset');
    // another preset: the settings that differ, in the order ticked
    await page.click(id(`runs-tick-${runs.again.id}`));
    await page.click(id(`runs-tick-${runs.slower.id}`));
    await expect.poll(() => page.isVisible(id('runs-differences-table'))).toBe(true);
    const rows = await page.$$eval(`${id('runs-differences-table')} tbody tr`, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      ['Max steps', '3000', '2000'],
      ['Group 2 (modelsB) › Learning rate', '0.1', '0.05'],
    ]);
    const heads = await page.$$eval(`${id('runs-differences-table')} thead th`, (ths) => ths.map((th) => th.textContent));
    expect(heads).toEqual(['setting', '1. Short seed', '2. Short seed, wide at lr 0.05']);

    // all of it on the screen at this size: no column cut off, the differences under the table
    const scroll = await page.$eval(id('runs-table'), (t) => ({ table: t.scrollWidth, box: t.parentElement!.clientWidth }));
    expect(scroll.table).toBeLessThanOrEqual(scroll.box);
    const differences = (await page.locator(id('runs-differences')).boundingBox())!;
    expect(differences.y + differences.height).toBeLessThanOrEqual(height);
    await shot('runs-table');

    // a row's name opens the run
    await page.click(id(`runs-open-${runs.stopped.id}`));
    await expect.poll(() => page.textContent(id('results-record'))).toContain(`${runs.stopped.modelsKept} of 20 models`);
  }, 120_000);
});
