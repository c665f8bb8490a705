// A run's snapshots as NumPy's .npz (`lab run --snapshots`): per model that kept any, its parameters as one
// float32 array of shape (snapshots, parameters) under its name GROUP#INDEX, and their steps (int64) under
// GROUP#INDEX.steps:
//   import numpy as np; s = np.load("run.npz"); s["modelsB#3"], s["modelsB#3.steps"]
import type { RunResult } from '../../core/results/events.ts';
import { npz, type NpyArray } from './npz.ts';

export function snapshotsNpz(result: RunResult): Uint8Array {
  const arrays = new Map<string, NpyArray>();
  for (const m of result.models) {
    const { step, params } = m.snapshots;
    if (!step.length) continue;
    const name = `${m.group}#${m.index}`;
    arrays.set(name, { data: Float32Array.from(params.flat()), shape: [step.length, params[0].length] });
    arrays.set(`${name}.steps`, { data: BigInt64Array.from(step, BigInt), shape: [step.length] });
  }
  return npz(arrays);
}
