// The engine's backends, how `auto` picks one, and how the .out log's first line names it.
import type { Backend } from './events.ts';
import { fusedSupports } from './kernels/fused.ts';
import type { Preset } from './preset.ts';
import type { TfDevice } from './tfjs/runtime.ts';
import { VERSION } from './version.ts';

/**
 * Fewest models in the groups the fused kernel cannot run for which batched tfjs beats the direct
 * kernel on the CPU (from `npm run bench`, docs/benchmarks.md).
 */
export const TFJS_PAYS_FROM_MODELS = 100;

/** `auto`: fused wherever the fused kernel runs every group (it is fastest at every group size measured);
 * otherwise tfjs once enough models need the general path to pay for batching. */
export function resolveBackend(backend: Backend, preset: Preset): Exclude<Backend, 'auto'> {
  if (backend !== 'auto') return backend;
  const general = preset.groups.filter((g) => !fusedSupports(g)).reduce((n, g) => n + g.models, 0);
  return general >= TFJS_PAYS_FROM_MODELS && preset.rng === 'per-model' ? 'tfjs' : 'fused';
}

/** The TensorFlow.js device a backend asks for: null for the CPU kernels, 'best' for plain tfjs. */
export function tfjsDevice(backend: Backend): TfDevice | 'best' | null {
  return backend === 'tfjs' ? 'best' : backend === 'tfjs-wasm' ? 'wasm' : backend === 'tfjs-cpu' ? 'cpu' : null;
}

/** The .out log's first line: engine, version and backend (where the seed prints torch's version). */
export function engineLine(preset: Preset, backend: Backend, tfjs?: string): string {
  if (tfjs) return `Minima Lab ${VERSION}, backend ${backend}: ${tfjs}`;
  const direct = backend === 'fused' ? preset.groups.filter((g) => !fusedSupports(g)).map((g) => g.name) : [];
  const note = direct.length ? ` (direct kernel for ${direct.join(', ')}: not one hidden layer with a piecewise-linear activation)` : '';
  return `Minima Lab ${VERSION}, backend ${backend}${note}`;
}
