// A run's snapshots as NumPy's .npz (`lab run --snapshots`, a run folder's snapshots.npz): per model that
// kept any, its parameters as one float32 array of shape (snapshots, parameters) under its name
// GROUP#INDEX, and their steps (int64) under GROUP#INDEX.steps:
//   import numpy as np; s = np.load("run.npz"); s["modelsB#3"], s["modelsB#3.steps"]
// Written from a run's models, and read back by model name.
import type { ModelRef } from '../../core/results/events.ts';
import { modelName, type Snapshots } from '../../core/results/snapshots.ts';
import { npz, NpzError, readNpz, type NpyArray } from './npz.ts';

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

/** The snapshots of the models named (GROUP#INDEX) in an .npz written by snapshotsNpz, by name; absent where it holds none. */
export function snapshotsIn(bytes: Uint8Array, names: readonly string[]): Map<string, Snapshots> {
  const arrays = readNpz(
    bytes,
    names.flatMap((name) => [name, `${name}.steps`]),
  ); // only the models asked for
  const found = new Map<string, Snapshots>();
  for (const name of names) {
    const params = arrays.get(name);
    const steps = arrays.get(`${name}.steps`);
    if (!params || !steps) continue;
    const [rows, size] = params.shape;
    const [values, stepValues] = [params.data, steps.data];
    if (
      params.shape.length !== 2 ||
      steps.shape.length !== 1 ||
      steps.shape[0] !== rows ||
      !(values instanceof Float32Array) ||
      !(stepValues instanceof BigInt64Array)
    ) {
      throw new NpzError(`${name}: expected float32 rows of parameters and as many int64 steps`);
    }
    found.set(name, {
      step: Array.from(stepValues, Number),
      params: Array.from({ length: rows }, (_, r) => Array.from(values.subarray(r * size, (r + 1) * size))),
    });
  }
  return found;
}
