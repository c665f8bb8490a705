// The engine's backends, how `auto` picks one, and how the .out log's first line names it.
import type { Backend, ModelRef, RunAbout } from '../../core/results/events.ts';
import { keepsDetail } from '../../core/preset/sweep.ts';
import { gpuRefusal } from '../../core/gpu/wgsl.ts';
import { piecewiseLinearNet, shapeOf } from '../../core/model/network.ts';
import { SNAPSHOT_PARAMS_LIMIT } from '../../core/results/snapshots.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { nativeTensorflowInstalled, type TfDevice } from './tfjs/runtime.ts';
import { VERSION } from './version.ts';
import { fusedSimdRefusal } from './kernels/fused-simd.ts';

/** The WebGPU adapter a caller found: a real GPU, a fallback (SwiftShader: Vulkan on the CPU), or none (not probed). */
export type GpuAdapterKind = 'real' | 'fallback' | 'none';

/**
 * The smallest group `auto` trains on WebGPU, and only on a real GPU adapter: on SwiftShader the fused kernel
 * is faster at every size (docs/benchmarks.md). A placeholder until `npm run bench:webgpu` runs on a GPU
 * machine (its portable folder): on a real adapter it prints the M from which WebGPU beats the fused kernel
 * on all cores, and this value to set.
 */
export const WEBGPU_AUTO_MIN_MODELS = 1_000;

/** Whether `auto` would train this run (a sweep as its cells) on a real GPU: worth looking for one. */
export function webgpuWorthTrying(preset: Preset): boolean {
  return (
    preset.rng === 'per-model' && preset.groups.some((g) => g.models >= WEBGPU_AUTO_MIN_MODELS && gpuRefusal(g, preset.target) === null)
  );
}

/**
 * `auto`, from `npm run bench` (docs/benchmarks.md): the fused kernel trains hundreds of times more
 * model-steps per second than any other backend on the networks it runs, and its WebAssembly build
 * (fused-simd) several times more than it on every network measured, so a run with any group the fused
 * kernel can train uses fused-simd (the groups it refuses go to the JavaScript fused kernel, the rest to
 * the direct kernel). When no group fits it, tfjs on wasm or plain
 * JavaScript does not beat the direct kernel at small groups (and the direct kernel runs one worker per
 * core), so tfjs is chosen only where TensorFlow's native binding (CPU or CUDA) is installed.
 */
export function resolveBackend(
  backend: Backend,
  preset: Preset,
  nativeTf = nativeTensorflowInstalled(),
  gpu: GpuAdapterKind = 'none',
): Exclude<Backend, 'auto'> {
  if (backend !== 'auto') return backend;
  if (gpu === 'real' && webgpuWorthTrying(preset)) return 'webgpu';
  if (preset.groups.some(piecewiseLinearNet)) return 'fused-simd';
  return nativeTf ? 'tfjs' : 'direct';
}

/** The TensorFlow.js device a backend asks for: null for the CPU kernels, 'best' for plain tfjs. */
export function tfjsDevice(backend: Backend): TfDevice | 'best' | null {
  return backend === 'tfjs' ? 'best' : backend === 'tfjs-wasm' ? 'wasm' : backend === 'tfjs-cpu' ? 'cpu' : null;
}

/**
 * The .out log's first line: engine, version and backend (where the seed prints torch's version), with the
 * device (tfjs's, or the WebGPU adapter) where one was loaded.
 */
export function engineLine(preset: Preset, backend: Backend, device?: string): string {
  if (backend === 'webgpu') {
    const cpu = preset.groups.filter((g) => gpuRefusal(g, preset.target) !== null).map((g) => g.name);
    const note = cpu.length ? ` (CPU kernels for ${cpu.join(', ')}: not trainable by the WebGPU kernel)` : '';
    return `Minima Lab ${VERSION}, backend webgpu: ${device ?? 'no adapter'}${note}`;
  }
  if (device) return `Minima Lab ${VERSION}, backend ${backend}: ${device}`;
  const fusedFamily = backend === 'fused' || backend === 'fused-simd';
  const direct = fusedFamily ? preset.groups.filter((g) => !piecewiseLinearNet(g)).map((g) => g.name) : [];
  const notes = direct.length ? [`direct kernel for ${direct.join(', ')}: not one hidden layer with a piecewise-linear activation`] : [];
  if (backend === 'fused-simd') {
    for (const g of preset.groups) {
      const refusal = piecewiseLinearNet(g) ? fusedSimdRefusal(g, preset) : null;
      if (refusal) notes.push(`fused kernel for ${g.name}: ${refusal}`);
    }
  }
  return `Minima Lab ${VERSION}, backend ${backend}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * Whether training keeps snapshots of a group's models: every backend does, for networks of at most
 * SNAPSHOT_PARAMS_LIMIT parameters (webgpu at its curve's steps and its last, not at changes of outcome class).
 */
export function groupKeepsSnapshots(plan: Pick<RunAbout, 'preset'>, groupIndex: number): boolean {
  return shapeOf(plan.preset.groups[groupIndex].hidden).size <= SNAPSHOT_PARAMS_LIMIT;
}

/** Whether training keeps a model's snapshots: its group's, and in a sweep its cell's first curvesPerCell (those that keep their detail). */
export function keepsSnapshots(plan: Pick<RunAbout, 'preset' | 'sweep'>, model: ModelRef): boolean {
  return groupKeepsSnapshots(plan, model.groupIndex) && keepsDetail(plan.sweep?.curvesPerCell ?? null, model.index);
}
