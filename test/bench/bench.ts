// `npm run bench`: Minima Lab's speed figures, measured side by side in one run on this machine and
// written to docs/benchmarks.md. The PyTorch reference runs too where /usr/bin/python3 has torch.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Backend, RunResult } from '../../electron/engine/events.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { loadPresetFile, parsePreset, type Preset } from '../../electron/engine/preset.ts';
import { trainOwnStream } from '../../electron/engine/streams.ts';
import type { TrainHooks } from '../../electron/engine/train.ts';
import { VERSION } from '../../electron/engine/version.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedFile = 'resources/presets/seed-narrow-vs-wide.json';
const seed = await loadPresetFile(root + seedFile);
const quiet: TrainHooks = { log: () => {}, progress: () => {}, shouldStop: () => false, progressIntervalMs: Infinity };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const say = (s: string) => process.stderr.write(`${s}\n`);

/** One model of a seed group alone, the limit off, so every step runs. */
function single(group: number, steps: number): Preset {
  return parsePreset({ ...seed, rng: 'per-model', stop: { maxSteps: steps, lossLimit: 0 }, groups: [{ ...seed.groups[group], models: 1 }] });
}

/** µs per step of the bare inner loop (validation every step), one thread: the median of `reps` runs. */
function microsPerStep(backend: Backend, group: number, steps: number, reps: number): number {
  const exp = experimentOf(single(group, steps));
  trainOwnStream(exp, exp.models[0], backend, quiet); // warm-up
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    trainOwnStream(exp, exp.models[0], backend, quiet);
    times.push(((performance.now() - t) * 1000) / steps);
  }
  return median(times);
}

function torchReference(): { torch: string; narrow_us: number; wide_us: number } | null {
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const r = spawnSync('/usr/bin/python3', [root + 'test/bench/torch_step.py', '2000'], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()!) : null;
}

/** A whole CLI run of the seed preset; wall seconds, with its .out and JSON result. */
function fullRun(args: string[], out: string, json: string) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'run', seedFile, '--out', out, '--json', json, ...args],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`lab run failed: ${r.stderr}`);
  const seconds = (performance.now() - t) / 1000;
  const summary = r.stdout.slice(r.stdout.lastIndexOf('\ngroup ') + 1).trimEnd();
  return { seconds, summary, result: JSON.parse(readFileSync(json, 'utf8')) as RunResult };
}

/** Heap in use early and late in one long run: decimated curves keep it flat. */
function memoryOverRun(steps: number): { early: number; late: number; points: number } {
  const exp = experimentOf(single(0, steps));
  const heap: number[] = [];
  const result = trainOwnStream(exp, exp.models[0], 'fused', { ...quiet, progressIntervalMs: 0, progress: (p) => {
    if (p.step === 65535 || p.step === steps - 1 - ((steps - 1) % 4096) - 1) heap.push(process.memoryUsage().heapUsed);
  } });
  return { early: heap[0], late: heap[heap.length - 1], points: result.curves.step.length };
}

say('per-step speed (fused, direct, PyTorch)...');
const fused = [microsPerStep('fused', 0, 300_000, 7), microsPerStep('fused', 1, 300_000, 7)];
const direct = [microsPerStep('direct', 0, 3000, 3), microsPerStep('direct', 1, 3000, 3)];
const torch = torchReference();
say('memory over a 1,000,000-step run...');
const memory = memoryOverRun(1_000_000);
say('the whole seed preset, per-model streams on 2 workers...');
mkdirSync(root + 'docs/seed-run', { recursive: true });
const tmp = root + 'tmp/';
mkdirSync(tmp, { recursive: true });
const perModel = fullRun(['--rng', 'per-model', '--workers', '2'], tmp + 'per-model.out', tmp + 'per-model.json');
say('the whole seed preset, torch stream (sequential)...');
const torchMode = fullRun([], root + 'docs/seed-run/seed-narrow-vs-wide.out', tmp + 'torch.json');
writeFileSync(root + 'docs/seed-run/summary.txt', `${torchMode.summary}\n`);

const f = (v: number, d = 2) => v.toFixed(d);
const row = (name: string, k: number) => `| ${name} | ${f(fused[k])} | ${f(direct[k], 1)} | ${torch ? f(torch[k ? 'wide_us' : 'narrow_us'], 1) : 'n/a'} | ${torch ? `${f(torch[k ? 'wide_us' : 'narrow_us'] / fused[k], 0)}×` : 'n/a'} |`;
const steps = (r: RunResult) => r.models.reduce((s, m) => s + m.steps + 1, 0);
const doc = `# Benchmarks

Generated by \`npm run bench\` (test/bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}: every figure below comes
from one run of that script, side by side on one machine.

Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${f(totalmem() / 2 ** 30, 0)} GiB; Node ${process.version};
Minima Lab ${VERSION}; ${torch ? `PyTorch ${torch.torch} (CPU, \`torch.set_num_threads(1)\`)` : 'PyTorch not installed (apt-get install -y python3-torch), so no reference column'}.

## One training step, one thread

The seed's step: draw 100 fresh samples, forward, MSE, validation on all 5001 grid points, backward, SGD
update (and CyclicLR for the wide model). µs per step; Minima Lab's figures are the median of 7 runs of
300,000 steps (fused) or 3 runs of 3,000 (direct) of the engine's own training loop with the loss limit
off; PyTorch's is the best of 3 runs of 2,000 steps of the seed's loop (test/bench/torch_step.py).

| model | fused kernel (default) | direct kernel | PyTorch | PyTorch ÷ fused |
|---|---|---|---|---|
${row('narrow 1→1→1, SGD', 0)}
${row('wide 1→8→1, SGD + CyclicLR', 1)}

The fused kernel evaluates the network per linear piece (sums of 1, x, x², y, xy per piece), so its
validation on 5001 points costs O(hidden width) through prefix sums; the direct kernel evaluates every
sample and every grid point, and is the test oracle.

## The whole seed experiment, 1,000,001 steps

\`node --import tsx electron/cli/main.ts run ${seedFile} [flags]\`, wall time including start-up:

| run | wall | steps trained | summary |
|---|---|---|---|
| \`--rng per-model --workers 2\` (parallel) | ${f(perModel.seconds, 1)} s | ${steps(perModel.result).toLocaleString('en-US')} | ${perModel.result.summary.map((s) => `${s.group}: ${s.counts.reached} reached, ${s.counts.line} at the line plateau`).join('; ')} |
| torch stream (the seed's order, sequential) | ${f(torchMode.seconds, 1)} s | ${steps(torchMode.result).toLocaleString('en-US')} | ${torchMode.result.summary.map((s) => `${s.group}: ${s.counts.reached} reached, ${s.counts.line} at the line plateau`).join('; ')} |

${torch ? `PyTorch would need about ${f((steps(torchMode.result) * ((torch.narrow_us + torch.wide_us) / 2)) / 3.6e9, 1)} h for the torch-stream run's steps at its per-step cost above.` : ''}
The torch-stream run's \`.out\` log and summary are kept in [seed-run/](seed-run/): the seed script's
experiment with its own initial weights (its 20 \`lossInit\` values match the seed document's).

\`\`\`
${torchMode.summary}
\`\`\`

## Memory

One narrow model trained for 1,000,000 steps: heap in use ${f(memory.early / 2 ** 20, 1)} MiB after 65,536 steps and
${f(memory.late / 2 ** 20, 1)} MiB near the end; its stored curve has ${memory.points} points (every step up to 100, then 50
log-spaced buckets per decade, each with the min and max of its losses).
`;
writeFileSync(root + 'docs/benchmarks.md', doc);
process.stdout.write(doc);
