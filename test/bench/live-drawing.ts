// The renderer's main thread while a run trains and its charts draw live: the longest tasks Chromium's
// Long Tasks API reports over a fixed window, in the real renderer driven through the e2e harness.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openLab, CHROMIUM } from '../e2e/harness.ts';
import { PRESETS, readJson } from '../helpers.ts';

export interface LiveDrawing {
  models: number;
  seconds: number;
  /** Durations (ms) of every main-thread task over 50 ms. */
  longTasks: number[];
  stepsPerSecond: number;
}

/** Starts the seed preset (20 models, per-model streams) from the Run screen and watches the page for `seconds`. */
export async function measureLiveDrawing(seconds: number): Promise<LiveDrawing | null> {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await launchChromium();
  const lab = await openLab({ browser, viewport: { width: 1440, height: 900 } });
  try {
    const { page } = lab;
    const id = (testid: string) => `[data-testid="${testid}"]`;
    const seed = readJson<{ name: string }>(join(PRESETS, 'seed-narrow-vs-wide.json'));
    await page.click(id('preset-builtin-seed-narrow-vs-wide'));
    await page.waitForFunction((name) => document.querySelector('[data-testid="current-preset"]')?.textContent?.includes(name), seed.name);
    await page.selectOption(id('field-rng'), 'per-model');
    await page.click(id('tab-run'));
    await page.click(id('run-start'));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-speed"]')?.textContent?.replace(/\D/g, '')) > 0);
    const longTasks = await page.evaluate(async (ms) => {
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      await new Promise((resolve) => setTimeout(resolve, ms));
      observer.disconnect();
      return tasks;
    }, seconds * 1000);
    const speed = Number((await page.textContent(id('run-speed')))?.replace(/\D/g, ''));
    await page.click(id('run-stop'));
    return { models: 20, seconds, longTasks, stepsPerSecond: speed };
  } finally {
    await lab.close();
    await browser.close();
  }
}
