// The loss landscape's timings for `npm run bench` (its section of docs/benchmarks.md): a 101×101 plane
// (and the 201-point slice with it) around the seed's wide network and a 1→16→1 one, on one thread, against
// the targets of issue 22. `npx tsx test/bench/landscape.ts` measures and rewrites this section alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Preset } from '../../core/preset/preset.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { landscapeOf } from '../../electron/engine/landscape.ts';
import { makeTrainer, trainOwnStreams } from '../../electron/engine/streams.ts';
import { loadPresetFile } from '../../electron/storage/preset-file.ts';
import { quietHooks } from '../helpers.ts';
import { withSection } from './sections.ts';

export const LANDSCAPE_HEADING = '## The loss landscape';

const GRID = 101;
const RUNS = 7;
/** The seed's wide network, and one twice as wide: each with its target in ms for a plane (issue 22). */
const NETWORKS = [
  { hidden: 8, targetMs: 250 },
  { hidden: 16, targetMs: 500 },
];

interface Timing {
  hidden: number;
  targetMs: number;
  /** Median ms of a plane and its slice, by directions. */
  random: number;
  pca: number;
  snapshots: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/** Median ms of `RUNS` landscapes (after one to warm up) around the seed's wide model, `hidden` wide, trained 20,000 steps. */
export function measureLandscapes(seed: Preset): Timing[] {
  return NETWORKS.map(({ hidden, targetMs }) => {
    const preset = parsePreset({
      ...seed,
      rng: 'per-model',
      stop: { maxSteps: 20_000, lossLimit: 0 },
      groups: [{ ...seed.groups[1], hidden: [hidden], models: 1 }],
    });
    const exp = experimentOf(preset);
    const [model] = trainOwnStreams(
      exp,
      exp.models,
      makeTrainer(exp, 'fused', () => quietHooks, null),
    );
    const time = (directions: 'random' | 'pca') => {
      landscapeOf(exp, model, { directions, grid: GRID, seed: 0 });
      const runs = Array.from({ length: RUNS }, () => {
        const t = performance.now();
        landscapeOf(exp, model, { directions, grid: GRID, seed: 0 });
        return performance.now() - t;
      });
      return median(runs);
    };
    return { hidden, targetMs, random: time('random'), pca: time('pca'), snapshots: model.snapshots.step.length };
  });
}

export function landscapeSection(timings: Timing[]): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = timings.map((t) => {
    const worst = Math.max(t.random, t.pca);
    return `| 1→${t.hidden}→1 | ${ms(t.random)} | ${ms(t.pca)} | ${((worst * 1000) / (GRID * GRID + 201)).toFixed(2)} µs | ≤ ${t.targetMs} ms | ${(t.targetMs / worst).toFixed(0)}× under: ${worst <= t.targetMs ? 'met' : 'missed'} |`;
  });
  return `${LANDSCAPE_HEADING}

\`lab landscape\` and the app's \`landscape\` call: a ${GRID}×${GRID} plane around a model (the seed's wide network,
and one twice as wide, trained 20,000 steps on the fused kernel, ${timings[0].snapshots} and ${timings[1].snapshots} snapshots), with
the 201-point slice from its initial to its final parameters, on one thread; the median of ${RUNS} runs of
\`landscapeOf\` (electron/engine/landscape.ts), random directions or the trajectory's principal ones (which
add the power iteration on the snapshots' Gram matrix). One fused kernel computes every point, its
parameters set in place: its validation loss is closed-form, O(hidden width) a point.

| network | random directions | PCA directions | per point (the slower) | target | |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

// run alone: measure, and rewrite this section only
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const seed = await loadPresetFile(`${root}resources/presets/seed-narrow-vs-wide.json`);
  const section = landscapeSection(measureLandscapes(seed));
  const file = `${root}docs/benchmarks.md`;
  writeFileSync(file, withSection(existsSync(file) ? readFileSync(file, 'utf8') : '', LANDSCAPE_HEADING, section));
  process.stdout.write(section);
}
