// PyTorch's fixtures replayed on TensorFlow.js, on its wasm and cpu backends (pytorch-replay.ts says what is checked).
import { expect } from 'vitest';
import { loadTf, type TfRuntime } from '../electron/engine/tfjs/runtime.ts';
import { trainGroupTf } from '../electron/engine/tfjs/train.ts';
import { describeReplays, hooks } from './pytorch-replay.ts';

let tf: TfRuntime;
for (const device of ['wasm', 'cpu'] as const) {
  describeReplays(
    `tfjs on ${device}`,
    (exp, params, rng) => trainGroupTf(tf, exp, exp.models, [params], [rng], () => hooks, false)[0],
    async () => {
      tf = await loadTf(device);
      expect(tf.device).toBe(device);
    },
  );
}
