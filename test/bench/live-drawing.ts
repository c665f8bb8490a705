// The renderer's main thread while a run trains and its charts draw live: the tasks over 50 ms that
// Chromium's Long Tasks API reports, in the real renderer driven through the e2e harness.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, openLab, CHROMIUM } from '../e2e/harness.ts';
import { PRESETS, readJson } from '../helpers.ts';

export interface LiveDrawing {
  models: number;
  seconds: number;
  /** Durations (ms) of every main-thread task over 50 ms. */
  longTasks: number[];
  /** The Run screen's speed figure when the window closed (steps/s, or model-steps/s in a sweep). */
  stepsPerSecond: number;
}

export interface SweepDrawing extends LiveDrawing {
  /** Tasks over 50 ms while the finished sweep's Results screen opened (its heatmap and table). */
  resultsLongTasks: number[];
}

const id = (testid: string) => `[data-testid="${testid}"]`;

/** Starts collecting long tasks in the page; `longTasksSoFar` reads them. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
}

async function longTasksSoFar(page: Page): Promise<number[]> {
  return page.evaluate(() => [...(window as unknown as { longTasks: number[] }).longTasks]);
}

async function openBuiltIn(page: Page, file: string): Promise<void> {
  const { name } = readJson<{ name: string }>(join(PRESETS, `${file}.json`));
  await page.click(id(`preset-builtin-${file}`));
  await page.waitForFunction((n) => document.querySelector('[data-testid="current-preset"]')?.textContent?.includes(n), name);
}

const speedOf = async (page: Page) => Number((await page.textContent(id('run-speed')))?.replace(/\D/g, ''));

/** The app at 1440×900 in Debian's Chromium, or null where it is not installed. */
async function inLab<T>(work: (page: Page) => Promise<T>): Promise<T | null> {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await launchChromium();
  const lab = await openLab({ browser, viewport: { width: 1440, height: 900 } });
  try {
    return await work(lab.page);
  } finally {
    await lab.close();
    await browser.close();
  }
}

/** Starts the seed preset (20 models, per-model streams) from the Run screen and watches the page for `seconds`. */
export async function measureLiveDrawing(seconds: number): Promise<LiveDrawing | null> {
  return inLab(async (page) => {
    await openBuiltIn(page, 'seed-narrow-vs-wide');
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-speed"]')?.textContent?.replace(/\D/g, '')) > 0);
    await watchLongTasks(page);
    await page.waitForTimeout(seconds * 1000);
    const longTasks = await longTasksSoFar(page);
    const speed = await speedOf(page);
    await page.click(id('run-stop'));
    return { models: 20, seconds, longTasks, stepsPerSecond: speed };
  });
}

/**
 * Runs the built-in width × schedule sweep with `seedsPerCell` models in each of its 12 cells to `maxSteps`
 * from the Run screen, watching the page from Start until it finishes (the heatmap fills in live), then
 * while its Results screen opens.
 */
export async function measureSweepDrawing(seedsPerCell: number, maxSteps: number): Promise<SweepDrawing | null> {
  return inLab(async (page) => {
    await openBuiltIn(page, 'sweep-width-vs-schedule');
    await page.fill(id('field-groups[0].models'), String(seedsPerCell));
    await page.fill(id('field-stop.maxSteps'), String(maxSteps));
    await page.click(id('tab-run'));
    await watchLongTasks(page);
    const started = performance.now();
    await page.click(id('run-start'));
    let speed = 0;
    while ((await page.textContent(id('run-status'))) !== 'finished') {
      speed = (await speedOf(page)) || speed;
      await page.waitForTimeout(500);
    }
    const seconds = (performance.now() - started) / 1000;
    const longTasks = await longTasksSoFar(page);
    await page.click(id('tab-results'));
    await page.waitForSelector(`${id('chart-heatmap-canvas')}[data-layout]`);
    await page.waitForTimeout(1000);
    const resultsLongTasks = (await longTasksSoFar(page)).slice(longTasks.length);
    return { models: 12 * seedsPerCell, seconds, longTasks, stepsPerSecond: speed, resultsLongTasks };
  });
}
