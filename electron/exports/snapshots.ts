// A run's snapshots as NumPy's .npz (`lab run --snapshots`, a run folder's snapshots.npz): per model that
// kept any, its parameters as one float32 array of shape (snapshots, parameters) under its name
// GROUP#INDEX, and their steps (int64) under GROUP#INDEX.steps:
//   import numpy as np; s = np.load("run.npz"); s["modelsB#3"], s["modelsB#3.steps"]
import type { ModelRef } from '../../core/results/events.ts';
import { modelName, type Snapshots } from '../../core/results/snapshots.ts';
import { npz, type NpyArray } from './npz.ts';

export function snapshotsNpz(models: readonly ModelRef[], snapshots: ReadonlyMap<number, Snapshots>): Uint8Array {
  const arrays = new Map<string, NpyArray>();
  for (const m of models) {
    const kept = snapshots.get(m.id);
    if (!kept) continue;
    const name = modelName(m);
    arrays.set(name, { data: Float32Array.from(kept.params.flat()), shape: [kept.step.length, kept.params[0].length] });
    arrays.set(`${name}.steps`, { data: BigInt64Array.from(kept.step, BigInt), shape: [kept.step.length] });
  }
  return npz(arrays);
}
