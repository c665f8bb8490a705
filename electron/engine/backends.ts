// The engine's backends, how `auto` picks one, and how the .out log's first line names it.
import type { Backend } from '../../core/events.ts';
import { fusedSupports } from './kernels/fused.ts';
import type { Preset } from '../../core/preset.ts';
import { nativeTensorflowInstalled, type TfDevice } from './tfjs/runtime.ts';
import { VERSION } from './version.ts';

/**
 * `auto`, from `npm run bench` (docs/benchmarks.md): the fused kernel trains hundreds of times more
 * model-steps per second than any other backend on the networks it runs, so a run with any group it can
 * train uses it (the other groups go to the direct kernel). When no group fits it, tfjs on wasm or plain
 * JavaScript does not beat the direct kernel at small groups (and the direct kernel runs one worker per
 * core), so tfjs is chosen only where TensorFlow's native binding (CPU or CUDA) is installed.
 */
export function resolveBackend(backend: Backend, preset: Preset, nativeTf = nativeTensorflowInstalled()): Exclude<Backend, 'auto'> {
  if (backend !== 'auto') return backend;
  if (preset.groups.some(fusedSupports)) return 'fused';
  return nativeTf ? 'tfjs' : 'direct';
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
