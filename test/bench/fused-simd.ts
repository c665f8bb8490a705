// `npm run bench:simd`: the WebAssembly kernel (fused-simd) against the JavaScript fused kernel it is built
// from, side by side in one run on this machine, and the section of docs/benchmarks.md it owns. One thread:
// model-steps per second of the engine's own loop (validation every step, the loss limit off) on the seed's
// narrow and wide networks and 1→16→1, the two kernels alternating run by run; PyTorch's seed loop where
// /usr/bin/python3 has torch. All cores: the built-in sweep end to end at 20,000 steps, whose per-model
// outcome classes are the kernels' agreement figure.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Group, Preset } from '../../core/preset/preset.ts';
import type { RunResult } from '../../core/results/events.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../../electron/engine/streams.ts';
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
const section = `${FUSED_SIMD_HEADING}

\`npm run bench:simd\` (test/bench/fused-simd.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}: the fused kernel's algorithm compiled to WebAssembly with SIMD (electron/engine/kernels/fused-simd.ts) against the JavaScript fused kernel, side by side in one run.

Model-steps per second on one thread (the engine's own loop, validation on 5001 points every step, the loss limit off; the median of 7 runs of 200,000 steps, the kernels alternating; PyTorch: test/bench/torch_step.py):

| network | fused | fused-simd | fused-simd ÷ fused | PyTorch |
|---|---|---|---|---|
${NETWORKS.map(row).join('\n')}

Wide: ${target(1, 3)}; narrow: ${target(0, 1.5)}; 1→16→1: ${times(rates[2][1] / rates[2][0])}.

The built-in sweep (1,200 models) at 20,000 steps, \`lab run --max-steps 20000\` end to end on all ${cpus().length} cores, start-up and writing included: fused ${sweeps[0].seconds.toFixed(1)} s (${int(steps(sweeps[0].result) / sweeps[0].seconds)} model-steps/s), fused-simd ${sweeps[1].seconds.toFixed(1)} s (${int(steps(sweeps[1].result) / sweeps[1].seconds)} model-steps/s): ${times(sweeps[0].seconds / sweeps[1].seconds)}. ${(sameClass * 100).toFixed(1)} % of the models end in the same outcome class on both kernels (target ≥ 99 %: ${sameClass >= 0.99 ? 'met' : 'missed'}); ${sameBits} of ${fusedModels.length} after the same steps with the same final loss, bit for bit: both kernels do the same float64 operations in the same order.
`;
const docPath = root + 'docs/benchmarks.md';
writeFileSync(docPath, withSection(readFileSync(docPath, 'utf8'), FUSED_SIMD_HEADING, section));
process.stdout.write(section);
