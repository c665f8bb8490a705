// `npm run bench:gpu`: on a machine with CUDA and @tensorflow/tfjs-node-gpu, proves that training runs
// on the GPU (TensorFlow's own device log) and reports its throughput against the fused CPU kernel.
// Elsewhere it says what is missing and exits 1.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadPresetFile } from '../../electron/storage/preset-file.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../../electron/engine/streams.ts';
import { loadTf } from '../../electron/engine/tfjs/runtime.ts';
import { quietHooks } from '../helpers.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

if (process.argv[2] === '--probe') {
  // Child: load the GPU backend and run one op, with TensorFlow's device placement log on.
  const rt = await loadTf('gpu');
  rt.tf.matMul(rt.tf.ones([64, 64]), rt.tf.ones([64, 64])).dataSync();
  process.stdout.write(`${rt.description}\n`);
  process.exit(rt.device === 'gpu' ? 0 : 1);
}

const probe = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--probe'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0' },
});
const device = /Created (?:TensorFlow )?device .*GPU:0[^\n]*/.exec(probe.stderr)?.[0];
process.stdout.write(`backend: ${probe.stdout.trim() || '(did not load)'}\n`);
if (probe.status !== 0 || !device) {
  process.stdout.write(
    `no CUDA GPU in use: ${
      probe.stderr
        .split('\n')
        .filter((l) => /tfjs|cuda|GPU|Error/i.test(l))
        .slice(0, 5)
        .join(' | ') || 'tfjs-node-gpu did not load'
    }\n`,
  );
  process.exit(1);
}
process.stdout.write(`device: ${device}\n`);

const rt = await loadTf('gpu');
const seed = await loadPresetFile(`${root}resources/presets/seed-narrow-vs-wide.json`);
process.stdout.write(
  '| models | steps | fused CPU (per-model steps/s, one thread) | tfjs GPU (per-model steps/s) | GPU ÷ CPU |\n|---|---|---|---|---|\n',
);
for (const models of [100, 1000, 10000]) {
  const steps = 200;
  const preset = parsePreset({
    ...seed,
    rng: 'per-model',
    stop: { maxSteps: steps, lossLimit: 0 },
    groups: [{ ...seed.groups[1], models }],
  });
  const exp = experimentOf(preset);
  const rate = (backend: 'fused' | 'tfjs') => {
    const t = performance.now();
    trainOwnStreams(
      exp,
      exp.models,
      makeTrainer(exp, backend, () => quietHooks, backend === 'tfjs' ? rt : null),
    );
    return (models * steps) / ((performance.now() - t) / 1000);
  };
  const cpu = rate('fused');
  const gpu = rate('tfjs');
  process.stdout.write(`| ${models} | ${steps} | ${Math.round(cpu)} | ${Math.round(gpu)} | ${(gpu / cpu).toFixed(2)}× |\n`);
}
