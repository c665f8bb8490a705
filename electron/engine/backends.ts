// The engine's backends, how `auto` picks one, and how the .out log's first line names it.
import type { Backend } from './events.ts';
import { fusedSupports } from './kernels/fused.ts';
import type { Preset } from './preset.ts';
import type { TfDevice } from './tfjs/runtime.ts';
import { VERSION } from './version.ts';

/**
 * `auto`, from `npm run bench` (docs/benchmarks.md): the fused kernel is hundreds of times faster than
 * anything else wherever it runs, so a run with any group it can train uses it (the others go to the
 * direct kernel). When no group fits it, batched tfjs beat the direct kernel at every group size measured
 * (1 to 1000 models), so such runs use tfjs.
 */
export function resolveBackend(backend: Backend, preset: Preset): Exclude<Backend, 'auto'> {
  if (backend !== 'auto') return backend;
  return preset.groups.some(fusedSupports) ? 'fused' : 'tfjs';
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
