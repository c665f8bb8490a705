// `npm run bench:simd`: the WebAssembly kernel (fused-simd) against the JavaScript fused kernel it is built
// from, side by side in one run on this machine, and the section of docs/benchmarks.md it owns. One thread:
// model-steps per second of the engine's own loop (validation every step, the loss limit off) on the seed's
// narrow and wide networks and 1→16→1, the two kernels alternating run by run; PyTorch's seed loop where
// /usr/bin/python3 has torch. All cores: the built-in sweep end to end at 20,000 steps, whose per-model
// outcome classes are the kernels' agreement figure.
// The breakdown: what share of a fused-simd step each part costs. Each part of the kernel's step runs alone
// many times (FusedSimdSteps.timePart, a timing-only export) at checkpoints along a real 200,000-step run, and
// the JavaScript around it is what is left of the engine's step: a loop that only calls measure, lossVal and
// update (the calls into WebAssembly, less the kernel's whole step timed inside it), the schedule alone, and the
// rest of the engine's loop (the tracker, its curves and snapshots, the checks).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Group, Preset } from '../../core/preset/preset.ts';
import type { RunResult } from '../../core/results/events.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { makeTrainer, ownStreams, trainOwnStreams } from '../../electron/engine/streams.ts';
import { FusedSimdSteps, type StepPart } from '../../electron/engine/kernels/fused-simd.ts';
import { makeSchedule } from '../../core/model/schedule.ts';
import type { StepBackend } from '../../electron/engine/train.ts';
import { loadPresetFile } from '../../electron/storage/preset-file.ts';
import { LAB, quietHooks } from '../helpers.ts';
import { FUSED_SIMD_HEADING, withSection } from './sections.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seed = await loadPresetFile(root + 'resources/presets/seed-narrow-vs-wide.json');
const say = (s: string) => process.stderr.write(`${s}\n`);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const times = (v: number) => `${v.toFixed(2)}×`;
const KERNELS: StepBackend[] = ['fused', 'fused-simd'];

const NETWORKS: { label: string; group: Group }[] = [
  { label: 'seed narrow 1→1→1, SGD', group: seed.groups[0] },
  { label: 'seed wide 1→8→1, SGD + CyclicLR', group: seed.groups[1] },
  { label: '1→16→1, SGD + CyclicLR', group: { ...seed.groups[1], hidden: [16] } },
];

function single(group: Group, steps: number): Preset {
  return parsePreset({ ...seed, rng: 'per-model', stop: { maxSteps: steps, lossLimit: 0 }, groups: [{ ...group, models: 1 }] });
}

/** Model-steps per second of each kernel on one thread: the median of `reps` runs, the kernels alternating. */
function perCore(group: Group, steps: number, reps: number): number[] {
  const exp = experimentOf(single(group, steps));
  const trainers = KERNELS.map((k) => makeTrainer(exp, k, () => quietHooks, null));
  trainers.forEach((train) => trainOwnStreams(exp, exp.models, train)); // warm-up
  const runs: number[][] = KERNELS.map(() => []);
  for (let r = 0; r < reps; r++)
    trainers.forEach((train, k) => {
      const t = performance.now();
      trainOwnStreams(exp, exp.models, train);
      runs[k].push(steps / ((performance.now() - t) / 1000));
    });
  return runs.map(median);
}

function torchReference(): { narrow_us: number; wide_us: number } | null {
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const r = spawnSync('/usr/bin/python3', [root + 'test/bench/torch_step.py', '2000'], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()!) : null;
}

/** The built-in sweep through `lab run` on all cores: wall seconds and its result. */
function sweep(backend: StepBackend, json: string) {
  const file = 'resources/presets/sweep-width-vs-schedule.json';
  const t = performance.now();
  const r = spawnSync(process.execPath, [LAB, 'run', file, '--max-steps', '20000', '--backend', backend, '--json', json], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`lab run failed: ${r.stderr}`);
  return { seconds: (performance.now() - t) / 1000, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
}

say('one thread: fused and fused-simd, alternating...');
const rates = NETWORKS.map((n) => perCore(n.group, 200_000, 7));
const BREAKDOWN_STEPS = 200_000;
const CHECKPOINTS = 10;
const PART_REPS = 20_000;
const PARTS: { part: StepPart; label: string }[] = [
  { part: 'inputs', label: 'drawing the batch: MT19937 and uint → float (100 draws)' },
  { part: 'targets', label: 'drawing the batch: the target' },
  { part: 'pieces', label: 'building the pieces (the kink sort)' },
  { part: 'moments', label: 'bucketing the samples (the moment sums)' },
  { part: 'trainLoss', label: 'training loss (from the sums)' },
  { part: 'valLoss', label: 'validation loss (5001 points, prefix sums)' },
  { part: 'backward', label: 'backward' },
  { part: 'sgd', label: 'SGD update' },
];

/** Microseconds a step per part: the kernel's parts, its whole step, and the JavaScript around it. */
function breakdown(group: Group) {
  const exp = experimentOf(single(group, BREAKDOWN_STEPS));
  const fresh = () => {
    const { rngs, params } = ownStreams(exp, exp.models);
    return new FusedSimdSteps(exp, group, params[0], rngs[0]);
  };
  const us = (t: bigint, n: number) => Number(t) / 1000 / n;
  // the schedule alone (its lr and momentum, kept for the loops below)
  const lrs = new Float64Array(BREAKDOWN_STEPS);
  const momenta: (number | undefined)[] = [];
  const scheduleRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const schedule = makeSchedule(group.schedule, group.optimizer);
    let sink = 0;
    const t = process.hrtime.bigint();
    for (let i = 0; i < BREAKDOWN_STEPS; i++) {
      sink += schedule.lr + (schedule.momentum ?? 0);
      schedule.step();
    }
    scheduleRuns.push(us(process.hrtime.bigint() - t, BREAKDOWN_STEPS));
    if (Number.isNaN(sink)) say('(a NaN lr)');
  }
  const schedule = makeSchedule(group.schedule, group.optimizer);
  for (let i = 0; i < BREAKDOWN_STEPS; i++) {
    lrs[i] = schedule.lr;
    momenta[i] = schedule.momentum;
    schedule.step();
  }
  // the engine's own loop, next to the loops above
  const train = makeTrainer(exp, 'fused-simd', () => quietHooks, null);
  trainOwnStreams(exp, exp.models, train); // warm-up
  const engineRuns = [0, 1, 2, 3, 4].map(() => {
    const t = process.hrtime.bigint();
    trainOwnStreams(exp, exp.models, train);
    return us(process.hrtime.bigint() - t, BREAKDOWN_STEPS);
  });
  // the calls alone: the engine's three calls a step, nothing else
  const callRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const steps = fresh();
    let sink = 0;
    const t = process.hrtime.bigint();
    for (let i = 0; i < BREAKDOWN_STEPS; i++) {
      sink += steps.measure() + steps.lossVal;
      steps.update(lrs[i], momenta[i]);
    }
    callRuns.push(us(process.hrtime.bigint() - t, BREAKDOWN_STEPS));
    if (Number.isNaN(sink)) say('(a NaN loss)');
  }
  // each part alone, at checkpoints along the run: the mean over checkpoints of the median of 3
  const names: StepPart[] = [...PARTS.map((p) => p.part), 'step'];
  const parts = new Map<StepPart, number>(names.map((n) => [n, 0]));
  const steps = fresh();
  const between = BREAKDOWN_STEPS / CHECKPOINTS;
  for (let c = 0; c < CHECKPOINTS; c++) {
    for (let i = c * between; i < (c + 1) * between; i++) {
      steps.measure();
      steps.update(lrs[i], momenta[i]);
    }
    for (const name of names) {
      const runs = [0, 1, 2].map(() => {
        const t = process.hrtime.bigint();
        steps.timePart(name, PART_REPS);
        return us(process.hrtime.bigint() - t, PART_REPS);
      });
      parts.set(name, parts.get(name)! + median(runs) / CHECKPOINTS);
    }
  }
  // targets and moments ran with fresh draws (a batch repeated would let the branch predictor learn it)
  parts.set('moments', parts.get('moments')! - parts.get('targets')!);
  parts.set('targets', parts.get('targets')! - parts.get('inputs')!);
  const engine = median(engineRuns);
  const kernel = parts.get('step')!;
  const calls = median(callRuns);
  const scheduleUs = median(scheduleRuns);
  const rows: [string, number][] = [
    ...PARTS.map((p): [string, number] => [p.label, parts.get(p.part)!]),
    ['calls into WebAssembly (a loop of measure, lossVal, update, less the whole kernel step)', calls - kernel],
    ['the schedule (lr, momentum, step)', scheduleUs],
    ['the rest of the engine loop (tracker: curves, snapshots, checks)', engine - calls - scheduleUs],
  ];
  const partsSum = PARTS.reduce((s, p) => s + parts.get(p.part)!, 0);
  return { engine, kernel, partsSum, rows, drawNs: (parts.get('inputs')! * 1000) / steps.drawsPerStep };
}

say('the breakdown of a fused-simd step...');
const breakdowns = NETWORKS.map((n) => breakdown(n.group));
say('PyTorch...');
const torch = torchReference();
const torchRates = torch ? [1e6 / torch.narrow_us, 1e6 / torch.wide_us, null] : [null, null, null];
say('the built-in sweep at 20,000 steps on all cores...');
mkdirSync(root + 'tmp', { recursive: true });
const sweeps = KERNELS.map((k) => sweep(k, `${root}tmp/sweep-20000-${k}.json`));
const steps = (r: RunResult) => r.models.reduce((s, m) => s + m.steps + 1, 0);
const [fusedModels, simdModels] = sweeps.map((s) => s.result.models);
const sameClass = fusedModels.filter((m, k) => m.outcome === simdModels[k].outcome).length / fusedModels.length;
const sameBits = fusedModels.filter((m, k) => m.steps === simdModels[k].steps && m.lossFinal === simdModels[k].lossFinal).length;

const row = (n: (typeof NETWORKS)[number], k: number) => {
  const [fused, simd] = rates[k];
  const t = torchRates[k];
  return `| ${n.label} | ${int(fused)} | ${int(simd)} | **${times(simd / fused)}** | ${t ? `${int(t)} (fused-simd ${int(simd / t)}× faster)` : 'n/a'} |`;
};
const target = (k: number, goal: number) =>
  `${times(rates[k][1] / rates[k][0])} (target ≥ ${goal}×: ${rates[k][1] / rates[k][0] >= goal ? 'met' : 'missed'})`;
const us2 = (v: number) => v.toFixed(3);
const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(0)} %`;
const cells = (pick: (b: (typeof breakdowns)[number]) => number) =>
  breakdowns.map((b) => `${us2(pick(b))} | ${pct(pick(b), b.engine)}`).join(' | ');
const breakdownRows = breakdowns[0].rows.map(
  ([label], r) => `| ${label} | ${breakdowns.map((b) => `${us2(b.rows[r][1])} | ${pct(b.rows[r][1], b.engine)}`).join(' | ')} |`,
);
const js = (b: (typeof breakdowns)[number]) => b.rows.slice(PARTS.length).reduce((s, [, v]) => s + v, 0);
const floor = (b: (typeof breakdowns)[number]) => b.rows[0][1];
const largest = (b: (typeof breakdowns)[number]) =>
  [...b.rows.slice(1)]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 2)
    .map(([label, v]) => `${label.replace(/ \(.*\)$/, '')} ${us2(v)} µs`)
    .join(', ');
const sweepUs = sweeps.map((s) => (s.seconds * cpus().length * 1e6) / steps(s.result));
const section = `${FUSED_SIMD_HEADING}

\`npm run bench:simd\` (test/bench/fused-simd.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}: the fused kernel's algorithm compiled to WebAssembly with SIMD (electron/engine/kernels/fused-simd.ts) against the JavaScript fused kernel, side by side in one run.

Model-steps per second on one thread (the engine's own loop, validation on 5001 points every step, the loss limit off; the median of 7 runs of 200,000 steps, the kernels alternating; PyTorch: test/bench/torch_step.py):

| network | fused | fused-simd | fused-simd ÷ fused | PyTorch |
|---|---|---|---|---|
${NETWORKS.map(row).join('\n')}

Wide: ${target(1, 3)}; narrow: ${target(0, 1.5)}; 1→16→1: ${times(rates[2][1] / rates[2][0])}.

What a fused-simd step costs, part by part, in µs and as a share of the engine's step (the engine's loop timed beside the rest: the median of 5 runs of ${int(BREAKDOWN_STEPS)} steps). Each part of the kernel's step ran alone ${int(PART_REPS)} times inside WebAssembly (\`timePart\`, a timing-only export; the median of 3, averaged over ${CHECKPOINTS} checkpoints along a real ${int(BREAKDOWN_STEPS)}-step run; the target and the bucketing ran on fresh batches, the draws before them taken off, since a batch repeated lets the branch predictor learn it). The JavaScript side is what is left: a loop of only the engine's three calls a step (measure, lossVal, update) less the kernel's whole step timed inside WebAssembly; the schedule alone; and the rest of the engine's loop (ModelTracker.record with its curves and snapshots, the stop checks), which is the engine's step less those two (so it carries the runs' noise):

| part | narrow µs | share | wide µs | share | 1→16→1 µs | share |
|---|---|---|---|---|---|---|
${breakdownRows.join('\n')}
| the kernel's step, the parts' sum | ${cells((b) => b.partsSum)} |
| the kernel's step, timed whole | ${cells((b) => b.kernel)} |
| the JavaScript side (the last three rows) | ${cells(js)} |
| the engine's step | ${cells((b) => b.engine)} |

The floor: drawing the inputs is PyTorch's own MT19937 stream, word for word and in order (already four words at a time), at ${breakdowns.map((b) => b.drawNs.toFixed(2)).join(', ')} ns a draw: ${breakdowns.map((b) => us2(floor(b))).join(', ')} µs a step (narrow, wide, 1→16→1; ${breakdowns.map((b) => pct(floor(b), b.engine)).join(', ')} of the engine's step) that no change to the kernel removes. Everything else can still shrink; the largest parts: ${breakdowns.map((b, k) => `${NETWORKS[k].label.split(',')[0]}: ${largest(b)}`).join('; ')}. The JavaScript side is ${breakdowns.map((b) => us2(js(b))).join(', ')} µs (${breakdowns.map((b) => pct(js(b), b.engine)).join(', ')}), the kernel's step ${breakdowns.map((b) => us2(b.kernel)).join(', ')} µs (${breakdowns.map((b) => pct(b.kernel, b.engine)).join(', ')}).

The sweep below spends ${sweepUs.map((v) => v.toFixed(2)).join(' µs (fused) and ')} µs (fused-simd) of core time per model-step, start-up and all, against ${breakdowns.map((b) => us2(b.engine)).join(', ')} µs for a step of the engine's loop on one thread here.

The built-in sweep (1,200 models) at 20,000 steps, \`lab run --max-steps 20000\` end to end on all ${cpus().length} cores, start-up and writing included: fused ${sweeps[0].seconds.toFixed(1)} s (${int(steps(sweeps[0].result) / sweeps[0].seconds)} model-steps/s), fused-simd ${sweeps[1].seconds.toFixed(1)} s (${int(steps(sweeps[1].result) / sweeps[1].seconds)} model-steps/s): ${times(sweeps[0].seconds / sweeps[1].seconds)}. ${(sameClass * 100).toFixed(1)} % of the models end in the same outcome class on both kernels (target ≥ 99 %: ${sameClass >= 0.99 ? 'met' : 'missed'}); ${sameBits} of ${fusedModels.length} after the same steps with the same final loss, bit for bit: both kernels do the same float64 operations in the same order.
`;
const docPath = root + 'docs/benchmarks.md';
writeFileSync(docPath, withSection(readFileSync(docPath, 'utf8'), FUSED_SIMD_HEADING, section));
process.stdout.write(section);
