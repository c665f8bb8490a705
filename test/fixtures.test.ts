// PyTorch's fixtures replayed on the CPU kernels (pytorch-replay.ts says what is checked): fused and direct
// from the recorded samples; fused-simd draws its own, from PyTorch's generator where the fixture's samples
// came from (seeded, after the initial weights), and trains the groups it refuses (Adam, the grid) on fused.
import { TorchGenerator } from '../electron/engine/rng.ts';
import { trainModel } from '../electron/engine/train.ts';
import { describeReplays, hooks } from './pytorch-replay.ts';

for (const kernel of ['fused', 'direct'] as const) {
  describeReplays(kernel, (exp, params, rng) => trainModel(exp, exp.models[0], params, rng, kernel, hooks, false));
}
describeReplays('fused-simd', (exp, params) => {
  const stream = new TorchGenerator(exp.preset.seed);
  stream.discard(params.length); // the initial weights' draws
  return trainModel(exp, exp.models[0], params, stream, 'fused-simd', hooks, false);
});
