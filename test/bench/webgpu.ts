// `npm run bench:webgpu`: model-steps per second of the WebGPU kernel at M = 1k, 10k, 100k (on a real GPU
// from 100 to 1M, and the crossover that sets `auto`'s threshold) against the fused CPU kernel, on the seed's
// narrow and wide networks; writes its section of
// docs/benchmarks.md. On SwiftShader (no GPU driver) it runs fewer steps per size, and says so. Then the
// agreement too slow for a test on SwiftShader: the built-in sweep at 20,000 steps (`--agreement-steps N`) on
// both kernels, model for model. `--swiftshader` forces SwiftShader where a GPU driver exists.
import { availableParallelism } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePreset } from '../../core/preset/parse.ts';
import type { PresetInput } from '../../core/preset/preset.ts';
import { trainOnGpu } from '../../core/gpu/trainer.ts';
import { WEBGPU_AUTO_MIN_MODELS } from '../../electron/engine/backends.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { ownStreams } from '../../electron/engine/streams.ts';
import { trainModel } from '../../electron/engine/train.ts';
import { openNodeGpu } from '../../electron/engine/webgpu/device.ts';
import { trainOwnStreamsWebGpu } from '../../electron/engine/webgpu/train.ts';
import { expandSweep } from '../../core/preset/sweep.ts';
import { quietHooks } from '../helpers.ts';
import { WEBGPU_HEADING, withSection } from './sections.ts';
// imported, not read: the portable folder's bundle carries them
import seedPreset from '../../resources/presets/seed-narrow-vs-wide.json' with { type: 'json' };
import sweepPreset from '../../resources/presets/sweep-width-vs-schedule.json' with { type: 'json' };

const gpu = await openNodeGpu(process.argv.includes('--swiftshader'));
/** On a GPU, the small sizes find where it overtakes the CPU: `auto`'s threshold (WEBGPU_AUTO_MIN_MODELS). */
const sizes = gpu.fallback ? [1_000, 10_000, 100_000] : [100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 1_000_000];
/** Model-steps per measurement: SwiftShader runs on the CPU, so it gets a thousandth of a GPU's. */
const budget = gpu.fallback ? 1e6 : 1e9;
/** And at most this long (checked between chunks), so that small M on a GPU cannot take minutes. */
const SECONDS_PER_SIZE = 10;
const cores = availableParallelism();

const seed = seedPreset as PresetInput;
const networks = [
  { label: 'seed narrow 1→1→1, SGD', group: seed.groups[0] },
  { label: 'seed wide 1→8→1, CyclicLR', group: seed.groups[1] },
];

/** A preset of M models of one seed group, never reaching the limit, so every model trains every step. */
function presetOf(group: PresetInput['groups'][number], models: number, steps: number) {
  return parsePreset({ ...seed, rng: 'per-model', stop: { maxSteps: steps, lossLimit: 0 }, groups: [{ ...group, models }] });
}

/** M models' streams and initial weights, as the per-model mode makes them (any M: past a preset's models-per-group limit). */
function starts(exp: ReturnType<typeof experimentOf>, models: number) {
  const group = exp.preset.groups[0].name;
  return ownStreams(
    exp,
    Array.from({ length: models }, (_, index) => ({ id: index, group, groupIndex: 0, index })),
  );
}

/** The fused kernel on this thread: model-steps per second. */
function cpuRate(group: PresetInput['groups'][number]): number {
  const exp = experimentOf(presetOf(group, 20, 20_000));
  const t = performance.now();
  let steps = 0;
  const { rngs, params } = ownStreams(exp, exp.models);
  exp.models.forEach((ref, m) => (steps += trainModel(exp, ref, params[m], rngs[m], 'fused', quietHooks, false).steps + 1));
  return steps / ((performance.now() - t) / 1000);
}

/** The WebGPU kernel: model-steps per second over the whole training call (uploads and chunk readbacks included). */
async function gpuRate(group: PresetInput['groups'][number], models: number): Promise<{ rate: number; steps: number }> {
  const steps = Math.max(10, Math.round(budget / models));
  const exp = experimentOf(presetOf(group, 1, steps));
  const { rngs, params } = starts(exp, models);
  const begin = rngs.map((rng, m) => {
    const { state, index } = rng.snapshot();
    return { params: params[m], mtState: state, mtIndex: index };
  });
  const spec = {
    group: exp.preset.groups[0],
    target: exp.preset.target,
    gridPoints: exp.preset.validation.points,
    maxSteps: steps,
    lossLimit: 0,
  };
  const t = performance.now();
  const timeUp = () => performance.now() - t > SECONDS_PER_SIZE * 1000;
  const result = await trainOnGpu(gpu.device, spec, begin, { marksIn: () => [], onChunk: () => {}, shouldStop: timeUp });
  const seconds = (performance.now() - t) / 1000;
  const done = result.lastStep.reduce((a, s) => a + s + 1, 0);
  return { rate: done / seconds, steps: Math.round(done / models) };
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const times = (v: number) => `${v >= 10 ? int(v) : v.toFixed(2)}×`;
const rows: string[] = [];
const verdicts: string[] = [];
/** Per network, the smallest measured M from which WebGPU beats the fused kernel on all cores at every larger M (Infinity: never). */
const crossovers: number[] = [];
for (const net of networks) {
  const cpu = cpuRate(net.group);
  process.stdout.write(`${net.label}: fused CPU ${int(cpu)} model-steps/s on one thread\n`);
  const measured: { models: number; rate: number; steps: number }[] = [];
  const tooBig: number[] = [];
  for (const models of sizes) {
    try {
      const r = await gpuRate(net.group, models);
      measured.push({ models, ...r });
      process.stdout.write(`${net.label}: M = ${int(models)}, ${int(r.steps)} steps: ${int(r.rate)} model-steps/s\n`);
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('GPU buffer'))) throw err;
      tooBig.push(models);
      process.stdout.write(`${net.label}: M = ${int(models)}: ${err.message}\n`);
    }
  }
  rows.push(
    `| ${net.label} | ${int(cpu)} | ${int(cpu * cores)} | ${[...measured.map((m) => `${int(m.rate)} (${int(m.steps)} steps; ${times(m.rate / cpu)})`), ...tooBig.map(() => 'does not fit the buffer limit')].join(' | ')} |`,
  );
  const best = measured.reduce((a, b) => (b.rate > a.rate ? b : a));
  verdicts.push(
    `${net.label}: at best (M = ${int(best.models)}) ${times(best.rate / cpu)} one core's fused throughput, ${times(best.rate / (cpu * cores))} all ${cores} cores' estimate${
      best.rate > cpu * cores ? '' : ': the CPU kernels are faster here'
    }.`,
  );
  const losing = measured.filter((m) => m.rate <= cpu * cores).map((m) => m.models);
  crossovers.push(measured.find((m) => m.models > Math.max(0, ...losing))?.models ?? Infinity);
  const at100k = measured.find((m) => m.models === 100_000);
  if (at100k && !gpu.fallback) {
    const ratio = at100k.rate / cpu;
    verdicts.push(`Target on a GPU, ≥ 1,000× one core at M = 100,000: ${times(ratio)}, ${ratio >= 1000 ? 'met' : 'missed'}.`);
  }
}

if (!gpu.fallback) {
  const threshold = Math.max(...crossovers);
  verdicts.push(
    threshold === Infinity
      ? `\`auto\`: at the largest M measured WebGPU is still slower than the fused kernel on all ${cores} cores, so \`auto\` should not pick it on this GPU (WEBGPU_AUTO_MIN_MODELS is ${int(WEBGPU_AUTO_MIN_MODELS)}).`
      : `\`auto\`: on this GPU WebGPU beats the fused kernel on all ${cores} cores from M = ${int(threshold)} on both networks; WEBGPU_AUTO_MIN_MODELS (electron/engine/backends.ts) is ${int(WEBGPU_AUTO_MIN_MODELS)}${threshold === WEBGPU_AUTO_MIN_MODELS ? ', as measured' : `: set it to ${int(threshold)}`}.`,
  );
}

/** The built-in sweep on both kernels: how many models end in the same outcome class (and status). */
async function agreement(steps: number) {
  const source = sweepPreset as PresetInput;
  const { preset, streams } = expandSweep(parsePreset({ ...source, stop: { ...source.stop, maxSteps: steps } }));
  const exp = experimentOf(preset, streams);
  let sameOutcome = 0;
  let sameStatus = 0;
  let sameSteps = 0;
  const seconds = { gpu: 0, cpu: 0 };
  for (let g = 0; g < preset.groups.length; g++) {
    const refs = exp.models.filter((r) => r.groupIndex === g);
    let t = performance.now();
    const onGpu = await trainOwnStreamsWebGpu(gpu.train, exp, refs, () => quietHooks);
    seconds.gpu += (performance.now() - t) / 1000;
    t = performance.now();
    const { rngs, params } = ownStreams(exp, refs);
    const onCpu = refs.map((ref, m) => trainModel(exp, ref, params[m], rngs[m], 'fused', quietHooks, false));
    seconds.cpu += (performance.now() - t) / 1000;
    onCpu.forEach((c, m) => {
      sameOutcome += Number(c.outcome === onGpu[m].outcome);
      sameStatus += Number(c.status === onGpu[m].status);
      sameSteps += Number(c.steps === onGpu[m].steps);
    });
    process.stdout.write(`agreement: ${preset.groups[g].name} done\n`);
  }
  return { models: exp.models.length, steps, sameOutcome, sameStatus, sameSteps, seconds };
}

const stepsArg = process.argv.indexOf('--agreement-steps');
const agreed = await agreement(stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 20_000);
const pct = (k: number) => `${((100 * k) / agreed.models).toFixed(1)} %`;

/** Where the GPU figures come from: written into the section whichever machine ran it. */
const PORTABLE = `**On a GPU machine.** \`npm run bench:webgpu:pack\` builds dist/minima-lab-webgpu-bench-linux-x64.tar.xz
(≈ 28 MB): this machine's node binary, an esbuild bundle of this bench, the webgpu package's Dawn binary,
\`run.sh\` and a README. On a Linux x86-64 machine with a GPU driver and the Vulkan loader (libvulkan1) and
nothing else, \`run.sh\` prints this section for that GPU and writes it to webgpu-bench.md, to paste here;
on a real GPU it also measures M = 100 to 30,000 and 1M, and says from which M \`auto\` should pick WebGPU
(WEBGPU_AUTO_MIN_MODELS). Target there: ≥ 1,000× one core's fused throughput at
M = 100,000. Without a GPU, \`env -i ./run.sh --swiftshader\` checks the folder on Chromium's SwiftShader.${
  gpu.fallback ? ' No GPU machine has run it for this project yet, so the table above is SwiftShader’s.' : ''
}`;

const section = `${WEBGPU_HEADING}

\`npm run bench:webgpu\` on adapter \`${gpu.adapter}\`${gpu.fallback ? ' (SwiftShader: Vulkan on the CPU, so fewer steps per size and figures that are reported, not targets)' : ''}.
Model-steps per second of the WebGPU kernel (core/gpu/): one invocation per model, every model training every
step (loss limit 0), validation on 5001 points every step; the whole training call is timed, uploads and
chunk readbacks included. The fused CPU kernel's figure is one thread's; "all cores" multiplies it by the
${cores} cores here (an estimate: a sweep runs one worker per core). In brackets: steps run, and the ratio to one core.

| network | fused, one core | fused, all cores (est.) | ${sizes.map((m) => `WebGPU, M = ${int(m)}`).join(' | ')} |
|---|---|---|${sizes.map(() => '---|').join('')}
${rows.join('\n')}

${verdicts.join(' ')}

**Agreement at length** (too slow for \`npm test\` on SwiftShader, so measured here): the built-in sweep
(sweep-width-vs-schedule.json, ${int(agreed.models)} models) at ${int(agreed.steps)} steps on both kernels, each model
from the same initial weights and samples: ${pct(agreed.sameOutcome)} end in the same outcome class (target ≥ 95 %:
${agreed.sameOutcome >= 0.95 * agreed.models ? 'met' : 'missed'}), ${pct(agreed.sameStatus)} with the same status and ${pct(agreed.sameSteps)}
after the same number of steps. Long runs are chaotic (CyclicLR's lr reaches 0.5): f32 rounding moves a
trajectory apart, and the fused kernel parts from itself as far when its weights are nudged a few ulps a
step (\`test/webgpu.test.ts\` measures where). Wall time: WebGPU
${agreed.seconds.gpu.toFixed(0)} s, the fused kernel ${agreed.seconds.cpu.toFixed(0)} s on one thread.

${PORTABLE}
`;

// the portable folder (npm run bench:webgpu:pack) has no docs/: it writes the section to --out
const outArg = process.argv.indexOf('--out');
if (outArg > 0) writeFileSync(process.argv[outArg + 1], section);
else {
  const docPath = `${fileURLToPath(new URL('../../', import.meta.url))}docs/benchmarks.md`;
  writeFileSync(docPath, withSection(readFileSync(docPath, 'utf8'), WEBGPU_HEADING, section));
}
process.stdout.write(`\n${section}`);
gpu.device.destroy();
