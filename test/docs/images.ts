// `npm run docs:images`: the README's pictures, made from a real run: the seed experiment on per-model
// streams for 20,000 steps, each chart kind of a plain run exported as a 1920×1080 slide (docs/images/chart-*.png),
// the loss landscape of its escaping wide model that ended lowest (docs/images/landscape.png), and the Run
// screen as the app shows it at 1440×900 (docs/images/run.png).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartDataOf } from '../../core/charts/data.ts';
import { CHART_KINDS, SNAPSHOT_CHART_KINDS, SWEEP_CHART_KINDS } from '../../core/charts/kinds.ts';
import { expandSweep } from '../../core/preset/sweep.ts';
import { planLocalRun } from '../../electron/engine/plan.ts';
import { Run } from '../../electron/engine/run.ts';
import { renderChart } from '../../electron/exports/charts.ts';
import { loadPresetFile } from '../../electron/storage/preset-file.ts';
import { launchChromium, openLab } from '../e2e/harness.ts';
import { writeLandscapeImage } from './landscape-image.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const images = `${root}docs/images/`;
mkdirSync(images, { recursive: true });
const seed = await loadPresetFile(`${root}resources/presets/seed-narrow-vs-wide.json`);
const preset = { ...seed, rng: 'per-model' as const, stop: { ...seed.stop, maxSteps: 20_000 } };
const run = new Run(planLocalRun(expandSweep(preset)));
const result = await run.start();
const data = chartDataOf(result);
// a sweep's heatmap comes from the built-in sweep's full run (npm run bench: docs/images/sweep-heatmap.png); the
// snapshots' charts from lab chart and lab landscape (the landscape: below)
const drawnElsewhere: readonly string[] = [...SNAPSHOT_CHART_KINDS, ...SWEEP_CHART_KINDS];
for (const kind of CHART_KINDS.filter((k) => !drawnElsewhere.includes(k))) {
  // the fit: each group's best and worst model by final loss, a success beside a plateau
  const fitModels = kind === 'fit' ? [0, 1].flatMap((g) => bestAndWorst(data.models.filter((m) => m.groupIndex === g))) : undefined;
  const png = await renderChart(data, { kind, format: 'png', width: 1920, height: 1080, pixelRatio: 1, options: { theme: 'light', fitModels } });
  writeFileSync(`${images}chart-${kind}.png`, png);
  process.stderr.write(`wrote docs/images/chart-${kind}.png\n`);
}
await writeLandscapeImage(result, run.snapshots, images);
function bestAndWorst(models: typeof data.models): number[] {
  const sorted = [...models].sort((a, b) => (a.lossFinal ?? Infinity) - (b.lossFinal ?? Infinity));
  return [sorted[0].id, sorted[sorted.length - 1].id];
}
const browser = await launchChromium();
const lab = await openLab({ browser, viewport: { width: 1440, height: 900 } });
const id = (testid: string) => `[data-testid="${testid}"]`;
await lab.page.waitForSelector(id('field-seed'));
await lab.page.fill(id('field-stop.maxSteps'), '20000');
await lab.page.selectOption(id('field-rng'), 'per-model');
// kept as the user's own preset, as a lecturer would before a class: the screen shows no unsaved mark
await lab.page.click(id('preset-save-as'));
await lab.page.fill(id('name-input'), 'Seed: narrow vs wide, 20,000 steps');
await lab.page.click(id('name-ok'));
await lab.page.waitForFunction(() => document.querySelector('[data-testid="user-presets"]')?.textContent?.includes('20,000 steps'));
await lab.page.click(id('tab-run'));
await lab.page.click(id('run-start'));
await lab.page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'finished', null, { timeout: 120_000 });
await lab.page.waitForFunction(() => !document.querySelector('[data-testid="notice"]'), null, { timeout: 10_000 });
await lab.page.screenshot({ path: `${images}run.png` });
process.stderr.write('wrote docs/images/run.png\n');
await lab.close();
await browser.close();
