// `npm run bench`: Minima Lab's speed figures, measured side by side in one run on this machine and
// written to docs/benchmarks.md. The PyTorch reference runs too where /usr/bin/python3 has torch.
// Every conclusion in the document is computed from the figures of the same run. Past 350 lines because
// the document is written here in one piece, its sections in the order they are measured.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Backend, RunResult } from '../../core/results/events.ts';
import type { Group, Preset } from '../../core/preset/preset.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import { expandSweep } from '../../core/preset/sweep.ts';
import { QUEUE_SETTINGS } from '../../electron/queue/settings.ts';
import { resolveBackend } from '../../electron/engine/backends.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../../electron/engine/streams.ts';
import { loadTf, type TfRuntime } from '../../electron/engine/tfjs/runtime.ts';
import type { TrainHooks } from '../../electron/engine/train.ts';
import { VERSION } from '../../electron/engine/version.ts';
import { loadPresetFile } from '../../electron/storage/preset-file.ts';
import { LAB, quietHooks } from '../helpers.ts';
import { REDIS_SERVER, startRedis } from '../redis.ts';
import { measureAnimation } from './animation.ts';
import { landscapeSection, measureLandscapes } from './landscape.ts';
import { measureLiveDrawing, measureSweepDrawing } from './live-drawing.ts';
import { FUSED_SIMD_HEADING, sectionOf, SUITE_HEADING, WEBGPU_HEADING, withSection } from './sections.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedFile = 'resources/presets/seed-narrow-vs-wide.json';
const seed = await loadPresetFile(root + seedFile);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const say = (s: string) => process.stderr.write(`${s}\n`);
const f = (v: number, d = 2) => v.toFixed(d);
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const times = (v: number) => `${v >= 10 ? f(v, 0) : f(v, 1)}×`;

/** One model of a group alone, on its own stream, the limit off, so every step runs. */
function single(group: Group, steps: number): Preset {
  return parsePreset({
    ...seed,
    rng: 'per-model',
    stop: { maxSteps: steps, lossLimit: 0 },
    groups: [{ ...group, models: 1 }],
  });
}

/** µs per step of the bare inner loop (validation every step), one thread: the median of `reps` runs. */
function microsPerStep(backend: Backend, preset: Preset, reps: number): number {
  const exp = experimentOf(preset);
  const train = makeTrainer(exp, backend, () => quietHooks, null);
  trainOwnStreams(exp, exp.models, train); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    trainOwnStreams(exp, exp.models, train);
    runs.push(((performance.now() - t) * 1000) / preset.stop.maxSteps);
  }
  return median(runs);
}

/** The seed's wide network, and a general one the fused kernel cannot run (two hidden layers, tanh). */
const NETWORKS = {
  wide: { label: 'seed wide 1→8→1 LeakyReLU', group: seed.groups[1] },
  general: { label: 'general 1→8→8→1 tanh', group: { ...seed.groups[1], hidden: [8, 8], activation: { kind: 'tanh' as const } } },
};
type Network = keyof typeof NETWORKS;

/** Per-model steps per second for a group of `models` trained together (tfjs) or in turn (CPU kernels). */
function groupThroughput(
  network: Network,
  models: number,
  backend: 'fused' | 'direct' | 'tfjs',
  tf: TfRuntime | null,
  budgetSteps: number,
): number {
  const steps = Math.max(3, Math.round(budgetSteps / models));
  const preset = parsePreset({
    ...seed,
    rng: 'per-model',
    stop: { maxSteps: steps, lossLimit: 0 },
    groups: [{ ...NETWORKS[network].group, models }],
  });
  const exp = experimentOf(preset);
  const train = makeTrainer(exp, backend, () => quietHooks, tf);
  const t = performance.now();
  trainOwnStreams(exp, exp.models, train);
  return (models * steps) / ((performance.now() - t) / 1000);
}

const GROUP_SIZES = [1, 10, 100, 1000];

/** Per network: per-model steps/s at each group size, for its CPU kernel and for tfjs on wasm and on cpu. */
async function scaling(): Promise<Record<Network, Record<string, number[]>>> {
  const runtimes = [await loadTf('wasm'), await loadTf('cpu')];
  const out = { wide: {}, general: {} } as Record<Network, Record<string, number[]>>;
  for (const network of ['wide', 'general'] as const) {
    const kernel = network === 'wide' ? 'fused' : 'direct';
    say(`  ${network} on ${kernel}...`);
    // a CPU kernel's per-model rate does not depend on M: the same total work at every size suffices
    out[network][kernel] = GROUP_SIZES.map((m) => groupThroughput(network, m, kernel, null, kernel === 'fused' ? 200_000 : 600));
    for (const rt of runtimes) {
      await rt.tf.setBackend(rt.device);
      say(`  ${network} on tfjs ${rt.device}...`);
      out[network][`tfjs ${rt.device}`] = GROUP_SIZES.map((m) => groupThroughput(network, m, 'tfjs', rt, 300 * Math.sqrt(m)));
    }
  }
  return out;
}

function torchReference(): { torch: string; narrow_us: number; wide_us: number } | null {
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const r = spawnSync('/usr/bin/python3', [root + 'test/bench/torch_step.py', '2000'], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()!) : null;
}

/** A whole CLI run: wall seconds (start-up included), the process's peak resident memory, its output and result. */
function cliRun(preset: string, args: string[], json: string) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', './test/bench/peak-rss.mjs', LAB, 'run', preset, '--json', json, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`lab run failed: ${r.stderr}`);
  const seconds = (performance.now() - t) / 1000;
  const peakBytes = Number(/peak-rss-kib (\d+)/.exec(r.stderr)?.[1]) * 1024;
  const result = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
  // the summary table the CLI prints last, from its line of levels on
  const summary = r.stdout.slice(r.stdout.lastIndexOf('\nloss limit ') + 1).trimEnd();
  return { seconds, peakBytes, summary, result, jsonBytes: statSync(json).size };
}

/** A whole CLI run of the seed preset, with its .out log. */
const fullRun = (args: string[], out: string, json: string) => cliRun(seedFile, ['--out', out, ...args], json);

/**
 * Some of the built-in sweep's models trained alone on this thread, each exactly as in the sweep (its own
 * stream, the same stop rule and steps): the per-model-step cost without the sweep around it.
 */
function sampleAlone(perCell: number) {
  const { preset, streams } = expandSweep(sweepPreset);
  const exp = experimentOf(preset, streams);
  const train = makeTrainer(exp, 'fused', () => quietHooks, null);
  const sample = exp.models.filter((m) => m.index < perCell);
  const t = performance.now();
  const results = trainOwnStreams(exp, sample, train);
  const seconds = (performance.now() - t) / 1000;
  return { models: sample.length, seconds, steps: results.reduce((n, r) => n + r.steps + 1, 0), results };
}

/**
 * A sweep through a BullMQ queue on a fresh local redis-server: `workers` `lab worker` processes (one job
 * at a time each), then `lab submit`; wall seconds of the submit, and whether its result is `expected`.
 */
async function queueRun(preset: string, workers: number, expected: string) {
  const redis = await startRedis();
  const pool = Array.from({ length: workers }, () =>
    spawn(process.execPath, [LAB, 'worker', '--redis', redis.url], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  try {
    await Promise.all(
      pool.map(
        (w) => new Promise<void>((resolve) => w.stderr!.on('data', (d: Buffer) => d.toString().includes('waiting for jobs') && resolve())),
      ),
    );
    const json = `${tmp}queue-${workers}.json`;
    const t = performance.now();
    const r = spawnSync(process.execPath, [LAB, 'submit', preset, '--redis', redis.url, '--json', json], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`lab submit failed: ${r.stderr}`);
    return { seconds: (performance.now() - t) / 1000, same: readFileSync(json, 'utf8') === expected };
  } finally {
    for (const w of pool) w.kill('SIGKILL');
    await redis.stop();
  }
}

/** Heap in use early and late in one long run: decimated curves keep it flat. */
function memoryOverRun(steps: number): { early: number; late: number; points: number } {
  const exp = experimentOf(single(seed.groups[0], steps));
  const heap: number[] = [];
  const hooks: TrainHooks = {
    ...quietHooks,
    progressIntervalMs: 0,
    progress: (p) => {
      if (p.step === 65535 || p.step === steps - 1 - ((steps - 1) % 4096) - 1) heap.push(process.memoryUsage().heapUsed);
    },
  };
  const [result] = trainOwnStreams(
    exp,
    exp.models,
    makeTrainer(exp, 'fused', () => hooks, null),
  );
  return { early: heap[0], late: heap[heap.length - 1], points: result.curves.step.length };
}

say('per-step speed (fused, direct, PyTorch)...');
const fused = seed.groups.map((g) => microsPerStep('fused', single(g, 300_000), 7));
const direct = seed.groups.map((g) => microsPerStep('direct', single(g, 3000), 3));
const landscapes = measureLandscapes(seed);
const torch = torchReference();
say('group-size scaling (fused / direct against tfjs)...');
const scale = await scaling();
const best = await loadTf();
say('memory over a 1,000,000-step run...');
const memory = memoryOverRun(1_000_000);
say('the renderer while 20 models train and the charts draw live...');
const live = await measureLiveDrawing(10);
say('the whole seed preset, per-model streams on 2 workers...');
mkdirSync(root + 'docs/seed-run', { recursive: true });
const tmp = root + 'tmp/';
mkdirSync(tmp, { recursive: true });
const perModel = fullRun(['--rng', 'per-model', '--workers', '2'], tmp + 'per-model.out', tmp + 'per-model.json');
say('the whole seed preset, torch stream (sequential)...');
const torchMode = fullRun([], root + 'docs/seed-run/seed-narrow-vs-wide.out', tmp + 'torch.json');
writeFileSync(root + 'docs/seed-run/summary.txt', `${torchMode.summary}\n`);

say('the built-in sweep, 1,200 models, on 2 workers and on 1...');
const sweepFile = 'resources/presets/sweep-width-vs-schedule.json';
const sweepPreset = await loadPresetFile(root + sweepFile);
const sweepCells = expandSweep(sweepPreset).preset.groups;
mkdirSync(root + 'docs/sweep-run', { recursive: true });
const sweepTwo = cliRun(sweepFile, ['--workers', '2', '--table', root + 'docs/sweep-run/table.csv'], tmp + 'sweep-2.json');
writeFileSync(root + 'docs/sweep-run/summary.txt', `${sweepTwo.summary}\n`);
// its heatmaps for the README: reached the limit, and escaped the line plateau
for (const [statistic, file] of [
  ['reach', 'sweep-heatmap.png'],
  ['escape', 'sweep-heatmap-escape.png'],
]) {
  const chart = spawnSync(
    process.execPath,
    [
      LAB,
      'chart',
      tmp + 'sweep-2.json',
      '--chart',
      'heatmap',
      '--statistic',
      statistic,
      ...['--out', root + 'docs/images/' + file, '--size', '1600x900'],
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (chart.status !== 0) throw new Error(`lab chart failed: ${chart.stderr}`);
}
const sweepOne = cliRun(sweepFile, ['--workers', '1'], tmp + 'sweep-1.json');
say('  the first 5 models of each cell alone, one thread, exactly as in the sweep...');
const alone = sampleAlone(5);
say('a 10,000-model sweep at a 2,000-step cap...');
const bigSweepFile = tmp + 'sweep-10000.json';
writeFileSync(
  bigSweepFile,
  JSON.stringify({ ...sweepPreset, stop: { ...sweepPreset.stop, maxSteps: 2000 }, groups: [{ ...sweepPreset.groups[0], models: 834 }] }),
);
const bigSweep = cliRun(bigSweepFile, ['--workers', '2'], tmp + 'sweep-10000-result.json');
say('  the same locally on 1 worker, and on a BullMQ queue with 1 and 2 lab workers...');
const bigSweepOne = cliRun(bigSweepFile, ['--workers', '1'], tmp + 'sweep-10000-one.json');
const bigJson = readFileSync(tmp + 'sweep-10000-result.json', 'utf8');
const queued = existsSync(REDIS_SERVER) ? [await queueRun(bigSweepFile, 1, bigJson), await queueRun(bigSweepFile, 2, bigJson)] : null;
say('the renderer while the 10,000-model sweep runs in the app...');
const sweepLive = await measureSweepDrawing(834, 2000);

say("an animation of the seed's escape...");
const animation = measureAnimation(tmp);

// What the figures say.
const torchUs = torch ? [torch.narrow_us, torch.wide_us] : null;
const row = (name: string, k: number) =>
  `| ${name} | ${f(fused[k])} | ${f(direct[k], 1)} | ${torchUs ? f(torchUs[k], 1) : 'n/a'} | ${torchUs ? times(torchUs[k] / fused[k]) : 'n/a'} |`;
const speedup = torchUs
  ? `Per step, the fused kernel is ${times(torchUs[0] / fused[0])} (narrow) and ${times(torchUs[1] / fused[1])} (wide) faster than PyTorch on one thread here, and ${times(direct[0] / fused[0])} and ${times(direct[1] / fused[1])} faster than the direct kernel.`
  : `Per step, the fused kernel is ${times(direct[0] / fused[0])} (narrow) and ${times(direct[1] / fused[1])} (wide) faster than the direct kernel; PyTorch was not measured.`;
const steps = (r: RunResult) => r.models.reduce((s, m) => s + m.steps + 1, 0);
const tfjsNames = Object.keys(scale.wide).filter((k) => k.startsWith('tfjs'));
const bestTfjs = (network: Network, k: number) => Math.max(...tfjsNames.map((n) => scale[network][n][k]));
const fusedOverTfjs = GROUP_SIZES.map((_, k) => scale.wide.fused[k] / bestTfjs('wide', k));
const range = (v: number[]) => `${times(Math.min(...v))} to ${times(Math.max(...v))}`;
const installed = best.device === 'gpu' || best.device === 'node';
const autoWide = resolveBackend('auto', parsePreset({ ...seed, groups: [{ ...NETWORKS.wide.group }] }), installed);
const autoGeneral = resolveBackend('auto', parsePreset({ ...seed, groups: [{ ...NETWORKS.general.group }] }), installed);
const wideVerdict =
  Math.min(...fusedOverTfjs) > 1
    ? `On the seed's wide network the fused kernel trains ${range(fusedOverTfjs)} more model-steps per second than the best TensorFlow.js device here, at every group size measured, so \`auto\` picking \`${autoWide}\` for any run with a group it can train is what these figures support.`
    : `On the seed's wide network the best TensorFlow.js device here beats the fused kernel at some group sizes (fused ÷ tfjs: ${fusedOverTfjs.map(times).join(', ')}), yet \`auto\` picks \`${autoWide}\`: revisit electron/engine/backends.ts.`;
// A run's groups go to one worker per core on the direct kernel, while tfjs trains a group on one thread.
const cores = cpus().length;
const parallelDirect = GROUP_SIZES.map((m, k) => scale.general.direct[k] * Math.min(m, cores));
const tfjsOverParallel = GROUP_SIZES.map((_, k) => bestTfjs('general', k) / parallelDirect[k]);
const tfjsWins = GROUP_SIZES.filter((_, k) => tfjsOverParallel[k] > 1);
const generalFigures = `batched tfjs on ${best.device} ÷ the direct kernel on ${cores} worker${cores === 1 ? '' : 's'} (one model per worker): ${GROUP_SIZES.map((m, k) => `${times(tfjsOverParallel[k])} at M = ${m}`).join(', ')}`;
const generalVerdict =
  autoGeneral === 'direct'
    ? tfjsWins.length
      ? `On the general network (${generalFigures}), tfjs is faster at M = ${tfjsWins.join(', ')}, yet \`auto\` picks \`direct\` for runs no group of which fits the fused kernel (no native TensorFlow binding is installed here): at those sizes these figures do not support it.`
      : `On the general network (${generalFigures}), the direct kernel wins at every group size, and \`auto\` picks \`direct\` for runs no group of which fits the fused kernel (no native TensorFlow binding is installed here): the figures support it.`
    : tfjsWins.length === GROUP_SIZES.length
      ? `On the general network (${generalFigures}), batched tfjs wins at every group size, which supports \`auto\` picking \`${autoGeneral}\`.`
      : `On the general network (${generalFigures}), the direct kernel wins at M = ${GROUP_SIZES.filter((m) => !tfjsWins.includes(m)).join(', ')}, yet \`auto\` picks \`${autoGeneral}\` here: at those sizes these figures do not support it.`;
const liveSection = live
  ? `The Run screen at 1440×900 in Debian's Chromium (the e2e harness: the real renderer and handler table) while the seed preset's ${live.models} models train on per-model streams (${int(live.stepsPerSecond)} steps/s when the window closed) and the loss, fit and LR charts redraw live: Chromium's Long Tasks API reported ${live.longTasks.length} main-thread task${live.longTasks.length === 1 ? '' : 's'} over 50 ms in ${live.seconds} s${live.longTasks.length ? ` (longest ${f(Math.max(...live.longTasks), 0)} ms; all: ${live.longTasks.map((t) => f(t, 0)).join(', ')} ms)` : ''}.`
  : "Not measured: Debian's chromium is not installed (`bash test/e2e/ensure-chromium.sh`).";

const sweepSteps = [steps(sweepTwo.result), steps(sweepOne.result)];
const sweepRatio = sweepOne.seconds / sweepTwo.seconds;
const sameSweep = JSON.stringify(sweepOne.result.models) === JSON.stringify(sweepTwo.result.models);
// what one worker's time would be at each cell's single-model cost per step
const sweepMicros = (sweepOne.seconds * 1e6) / sweepSteps[1];
const aloneMicros = (alone.seconds * 1e6) / alone.steps;
const costRatio = sweepMicros / aloneMicros;
const sameAlone = alone.results.every(
  (r) => r.steps === sweepOne.result.models[r.id].steps && r.lossFinal === sweepOne.result.models[r.id].lossFinal,
);
const reachOf = (group: string) => sweepTwo.result.summary.find((c) => c.group === group)!.reach;
const mb = (bytes: number) => f(bytes / 1e6, 1);
const bigModels = bigSweep.result.models.length;
const taskText = (tasks: number[]) =>
  `${tasks.length} main-thread task${tasks.length === 1 ? '' : 's'} over 50 ms${tasks.length ? ` (longest ${f(Math.max(...tasks), 0)} ms)` : ''}`;
const bigJobs = Math.ceil(bigModels / QUEUE_SETTINGS.jobSize.default);
const bigSteps = steps(bigSweep.result);
const local = [bigSweepOne.seconds, bigSweep.seconds];
/** Time the queue adds per job and worker: its extra wall time over the local run's, over the jobs each worker took. */
const perJobMs = (k: number) => ((queued![k].seconds - local[k]) * 1000) / (bigJobs / (k + 1));
const queueSection = queued
  ? `The same ${int(bigModels)} models on a BullMQ queue (\`lab submit\` to a local redis-server, ${bigJobs} jobs of up to ${QUEUE_SETTINGS.jobSize.default} models, each \`lab worker\` one job at a time on one thread) against the local run:

| run | wall | model-steps / s | result |
|---|---|---|---|
| local, 1 worker | ${f(local[0], 1)} s | ${int(bigSteps / local[0])} | |
| queue, 1 \`lab worker\` | ${f(queued[0].seconds, 1)} s | ${int(bigSteps / queued[0].seconds)} | ${queued[0].same ? 'identical to the local run' : 'NOT identical'} |
| local, 2 workers | ${f(local[1], 1)} s | ${int(bigSteps / local[1])} | |
| queue, 2 \`lab worker\`s | ${f(queued[1].seconds, 1)} s | ${int(bigSteps / queued[1].seconds)} | ${queued[1].same ? 'identical to the local run' : 'NOT identical'} |

The queue's overhead, its extra wall time over the local run's per job a worker took: ${f(perJobMs(0), 0)} ms with 1 worker, ${f(perJobMs(1), 0)} ms with 2 (start-up of the worker and submit processes and Redis round trips included; jobs here last ${f((local[0] * 1000) / bigJobs, 0)} ms on average).`
  : 'The queue: not measured (redis-server is not installed: `apt-get install redis-server`).';
const sweepLiveText = sweepLive
  ? `The same sweep in the app (the e2e harness at 1440×900: the real renderer and handler table), from Start until it finished (${f(sweepLive.seconds, 0)} s; the live heatmap and progress redraw as cells finish; ${int(sweepLive.stepsPerSecond)} model-steps/s on the Run screen near the end): Chromium's Long Tasks API reported ${taskText(sweepLive.longTasks)}; opening its Results screen (heatmap and per-cell table of ${int(sweepLive.models)} models): ${taskText(sweepLive.resultsLongTasks)}.`
  : "The app during the sweep: not measured (Debian's chromium is not installed).";

const doc = `# Benchmarks

Generated by \`npm run bench\` (test/bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}: every figure below comes
from one run of that script, side by side on one machine, and every sentence that compares them is computed
from them.

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${f(totalmem() / 2 ** 30, 0)} GiB; Node ${process.version};
Minima Lab ${VERSION}; ${torch ? `PyTorch ${torch.torch} (CPU, \`torch.set_num_threads(1)\`)` : 'PyTorch not installed (apt-get install -y python3-torch), so no reference column'}.

## One training step, one thread

The seed's step: draw 100 fresh samples, forward, MSE, validation on all 5001 grid points, backward, SGD
update (and CyclicLR for the wide model). µs per step; Minima Lab's figures are the median of 7 runs of
300,000 steps (fused) or 3 runs of 3,000 (direct) of the engine's own training loop with the loss limit
off; PyTorch's is the best of 3 runs of 2,000 steps of the seed's loop (test/bench/torch_step.py).

| model | fused kernel | direct kernel | PyTorch | PyTorch ÷ fused |
|---|---|---|---|---|
${row('narrow 1→1→1, SGD', 0)}
${row('wide 1→8→1, SGD + CyclicLR', 1)}

${speedup} The fused kernel evaluates the network per linear piece (sums of 1, x, x², y, xy per piece), so
its validation on 5001 points costs O(hidden width) through prefix sums; the direct kernel evaluates every
sample and every grid point, and is the test oracle.

## The whole seed experiment, 1,000,001 steps

\`npx lab run ${seedFile} [flags]\`, wall time including start-up:

| run | wall | steps trained | steps / s | summary |
|---|---|---|---|---|
| \`--rng per-model --workers 2\` (parallel) | ${f(perModel.seconds, 1)} s | ${int(steps(perModel.result))} | ${int(steps(perModel.result) / perModel.seconds)} | ${perModel.result.summary.map((s) => `${s.group}: ${s.counts.reached} reached, ${s.counts.line} at the line plateau`).join('; ')} |
| torch stream (the seed's order, sequential) | ${f(torchMode.seconds, 1)} s | ${int(steps(torchMode.result))} | ${int(steps(torchMode.result) / torchMode.seconds)} | ${torchMode.result.summary.map((s) => `${s.group}: ${s.counts.reached} reached, ${s.counts.line} at the line plateau`).join('; ')} |

${torchUs ? `PyTorch would need about ${f((steps(torchMode.result) * ((torchUs[0] + torchUs[1]) / 2)) / 3.6e9, 1)} h for the torch-stream run's steps at its per-step cost above.` : ''}
The torch-stream run's \`.out\` log and summary are kept in [seed-run/](seed-run/): the seed script's
experiment with its own initial weights.

\`\`\`
${torchMode.summary}
\`\`\`

## Sweeps

\`lab run ${sweepFile}\` end to end (${sweepCells.length} cells × ${sweepPreset.groups[0].models} seeds, at most ${int(sweepPreset.stop.maxSteps)} steps; the fused kernel; wall time including start-up and writing the result):

| workers | wall | model-steps trained | model-steps / s | peak memory | result file |
|---|---|---|---|---|---|
| 2 | ${f(sweepTwo.seconds, 1)} s | ${int(sweepSteps[0])} | ${int(sweepSteps[0] / sweepTwo.seconds)} | ${mb(sweepTwo.peakBytes)} MB | ${mb(sweepTwo.jsonBytes)} MB |
| 1 | ${f(sweepOne.seconds, 1)} s | ${int(sweepSteps[1])} | ${int(sweepSteps[1] / sweepOne.seconds)} | ${mb(sweepOne.peakBytes)} MB | ${mb(sweepOne.jsonBytes)} MB |

Two workers finish it ${times(sweepRatio)} faster than one (target ≥ 1.8×: ${sweepRatio >= 1.8 ? 'met' : 'missed'}) on ${cores} cores; the two results are ${sameSweep ? 'identical, model for model' : 'NOT identical'}. Per model-step, one worker's sweep cost ${f(sweepMicros)} µs (its wall time, start-up and writing included, over its model-steps); the first 5 models of each cell, ${alone.models} in all, trained alone on one thread exactly as in the sweep (${sameAlone ? 'the same steps and final losses' : 'NOT the same steps and final losses'}: ${int(alone.steps)} model-steps), cost ${f(aloneMicros)} µs: the sweep's is ${costRatio >= 1 ? `${f((costRatio - 1) * 100, 1)} % more` : `${f((1 - costRatio) * 100, 1)} % less`} (target: within 10 %: ${Math.abs(costRatio - 1) <= 0.1 ? 'met' : 'missed'}).
Its per-cell table is in [sweep-run/](sweep-run/) and its heatmaps in [images/sweep-heatmap.png](images/sweep-heatmap.png) (reached the limit) and [images/sweep-heatmap-escape.png](images/sweep-heatmap-escape.png) (escaped the line plateau); widest cells: plain SGD ${reachOf(sweepCells[sweepCells.length - 2].name).k}/${reachOf(sweepCells[sweepCells.length - 2].name).n} reached, CyclicLR ${reachOf(sweepCells[sweepCells.length - 1].name).k}/${reachOf(sweepCells[sweepCells.length - 1].name).n}.

**${int(bigModels)} models** (the same sweep with ${bigSweep.result.preset.groups[0].models} seeds per cell, capped at ${int(bigSweep.result.preset.stop.maxSteps)} steps, 2 workers): ${f(bigSweep.seconds, 1)} s, ${int(steps(bigSweep.result) / bigSweep.seconds)} model-steps/s; peak memory of the whole process ${mb(bigSweep.peakBytes)} MB (target ≤ 1,000 MB: ${bigSweep.peakBytes <= 1e9 ? 'met' : 'missed'}); result file ${mb(bigSweep.jsonBytes)} MB (curves and weights kept for ${bigSweep.result.sweep?.curvesPerCell} models per cell, the statistics from all).

${queueSection}

${sweepLiveText}

## Batched across models: TensorFlow.js against the CPU kernels

Model-steps per second (all M models' steps together, validation on 5001 points every step) for a group
of M models on one thread: tfjs trains the M models as one batched computation; the CPU kernels train them
one after another.
TensorFlow.js's best device on this machine: \`${best.description}\`; the table measures its wasm and
plain-JavaScript (cpu) backends.

| network | backend | ${GROUP_SIZES.map((m) => `M = ${m}`).join(' | ')} |
|---|---|${GROUP_SIZES.map(() => '---|').join('')}
${(['wide', 'general'] as const).flatMap((n) => Object.entries(scale[n]).map(([name, v]) => `| ${NETWORKS[n].label} | ${name} | ${v.map(int).join(' | ')} |`)).join('\n')}

**The \`--backend auto\` rule** (electron/engine/backends.ts). ${wideVerdict} ${generalVerdict}

## The renderer while charts draw live

${liveSection}

${animation}
## Memory

One narrow model trained for 1,000,000 steps: heap in use ${f(memory.early / 2 ** 20, 1)} MiB after 65,536 steps and
${f(memory.late / 2 ** 20, 1)} MiB near the end; its stored curve has ${memory.points} points (every step up to 100, then 50
log-spaced buckets per decade, each with the min and max of its losses).

${landscapeSection(landscapes)}`;
const previous = existsSync(root + 'docs/benchmarks.md') ? readFileSync(root + 'docs/benchmarks.md', 'utf8') : '';
// the sections measured on their own (bench:webgpu's, bench:simd's, the test suite's) stay as they are
const kept = [WEBGPU_HEADING, FUSED_SIMD_HEADING, SUITE_HEADING].reduce((d, heading) => {
  const section = sectionOf(previous, heading);
  return section ? withSection(d, heading, section) : d;
}, doc);
writeFileSync(root + 'docs/benchmarks.md', kept);
process.stdout.write(doc);
