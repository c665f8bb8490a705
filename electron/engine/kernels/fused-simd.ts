// The fused-simd backend's host: the fused kernel compiled to WebAssembly with SIMD (assembly/fused-simd.ts)
// runs a model's whole steps (its torch.rand batch, the target, forward, validation, backward, SGD) in one
// instance per worker's experiment, its memory laid out once for the largest group it trains. The schedule
// stays in JavaScript (core/model/schedule.ts) and hands each step its lr; the generator's state moves into
// the instance when a model starts and back when it ends, so a shared torch stream continues as before.
import type { Group, Preset } from '../../../core/preset/preset.ts';
import { leakSlope, piecewiseLinearNet } from '../../../core/model/network.ts';
import type { Experiment } from '../experiment.ts';
import type { TorchGenerator } from '../rng.ts';
import { FUSED_SIMD_WASM } from './fused-simd-binary.ts';
import type { ModelSteps } from './kernel.ts';

/**
 * Why the WebAssembly kernel does not train a group, or null where it does: the one place that says what
 * falls back to the JavaScript fused kernel (or, for networks it cannot run either, the direct kernel).
 */
export function fusedSimdRefusal(group: Group, preset: Pick<Preset, 'target'>): string | null {
  if (!piecewiseLinearNet(group)) return 'not one hidden layer with a piecewise-linear activation';
  if (group.data.kind !== 'fresh') return 'fixed and grid batches';
  if (group.optimizer.kind !== 'sgd') return 'the Adam optimizer';
  if (preset.target.kind === 'sine') return 'the sine target (Math.sin is not the same function in WebAssembly)';
  return null;
}

// The main side's types (lib ES2022, no DOM) lack WebAssembly's JavaScript API: the part used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  // prettier-ignore
  setup(...addresses: number[]): void;
  setExperiment(points: number, sumYY: number, kind: number, length: number): void;
  // prettier-ignore
  startModel(hidden: number, slope: number, outSlope: number, batch: number, dampening: number, nesterov: number, weightDecay: number, generatorIndex: number): void;
  generatorIndex(): number;
  measure(): number;
  lossVal(): number;
  update(lr: number, momentum: number): void;
  valLoss(): number;
  timePart(part: number, reps: number, momentum: number): number;
}

/** The parts of a step timePart runs alone (assembly/fused-simd.ts's PART_*), for the bench's breakdown. */
export const STEP_PARTS = ['inputs', 'targets', 'pieces', 'moments', 'trainLoss', 'valLoss', 'backward', 'sgd', 'step'] as const;
export type StepPart = (typeof STEP_PARTS)[number];

const TARGET_KINDS = { step: 0, ramp: 1, abs: 2, 'piecewise-linear': 3 } as const;

/** The target's numbers, in the order the kernel's target() reads them. */
function targetNumbers(target: Preset['target']): number[] {
  switch (target.kind) {
    case 'step':
      return [target.threshold, target.low, target.high];
    case 'ramp':
      return [target.from, target.to, target.low, target.high];
    case 'abs':
      return [target.center];
    case 'piecewise-linear':
      return [...target.points.map((p) => p[0]), ...target.points.map((p) => p[1])];
    case 'sine':
      throw new Error('the WebAssembly kernel has no sine target'); // refused by fusedSimdRefusal
  }
}

const MT_WORDS = 624;
let compiled: object | null = null;

/** One instance and its memory's regions, for the groups of one experiment. */
class Runtime {
  readonly wasm: Exports;
  readonly params: Float32Array;
  readonly mt: Uint32Array;

  constructor(exp: Experiment, hidden: number, batch: number) {
    compiled ??= new WebAssembly.Module(Buffer.from(FUSED_SIMD_WASM, 'base64'));
    this.wasm = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    const pieces = 2 * hidden + 2;
    const size = 3 * hidden + 1;
    const gridN = exp.gridPoints.length;
    const targetValues = targetNumbers(exp.preset.target);
    // [bytes per element, elements] of each region, in setup()'s order
    const regions: [number, number][] = [
      [4, size], // params
      [4, size], // momentum buffer
      [8, size], // grad
      [8, hidden], // kink
      [4, hidden], // dir
      [4, hidden], // order
      [4, hidden], // kinkPiece
      [8, pieces + 1], // start
      [8, pieces], // a
      [8, pieces], // b
      [8, pieces], // outS
      [8, 5 * pieces], // sums
      [8, pieces + 1], // g0
      [8, pieces + 1], // g1
      [8, batch], // xs
      [8, batch], // ys
      [4, batch], // ties
      [4, MT_WORDS], // generator
      [8, 4 * (gridN + 1)], // grid
      [8, targetValues.length], // target
    ];
    const { memory } = this.wasm;
    const addresses: number[] = [];
    let at = memory.buffer.byteLength; // past the module's own data
    for (const [bytes, count] of regions) {
      addresses.push(at);
      at += Math.ceil((bytes * count) / 16) * 16; // 16-byte aligned for v128 loads
    }
    memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536)); // the only growth: views made below stay valid
    this.wasm.setup(...addresses);
    this.params = new Float32Array(memory.buffer, addresses[0], size);
    this.mt = new Uint32Array(memory.buffer, addresses[17], MT_WORDS);
    const grid = new Float64Array(memory.buffer, addresses[18], 4 * (gridN + 1));
    const { sumX, sumXX, sumY, sumXY, sumYY } = exp.gridPoints;
    [sumX, sumXX, sumY, sumXY].forEach((sums, k) => grid.set(sums, k * (gridN + 1)));
    new Float64Array(memory.buffer, addresses[19], targetValues.length).set(targetValues);
    const kind = exp.preset.target.kind as keyof typeof TARGET_KINDS;
    this.wasm.setExperiment(gridN, sumYY, TARGET_KINDS[kind], targetValues.length);
  }
}

const runtimes = new WeakMap<Experiment, Runtime>();

/** The experiment's instance, sized for the largest group the kernel trains. */
function runtimeOf(exp: Experiment): Runtime {
  let runtime = runtimes.get(exp);
  if (!runtime) {
    const groups = exp.preset.groups.filter((g) => fusedSimdRefusal(g, exp.preset) === null);
    const hidden = Math.max(...groups.map((g) => g.hidden[0]));
    const batch = Math.max(...groups.map((g) => (g.data.kind === 'fresh' ? g.data.batchSize : 0)));
    runtime = new Runtime(exp, hidden, batch);
    runtimes.set(exp, runtime);
  }
  return runtime;
}

/** One model's steps on the WebAssembly kernel (a group fusedSimdRefusal accepts). */
export class FusedSimdSteps implements ModelSteps {
  readonly params: Float32Array;
  readonly drawsPerStep: number;
  private readonly wasm: Exports;
  private readonly mt: Uint32Array;
  private readonly defaultMomentum: number;

  constructor(
    exp: Experiment,
    group: Group,
    private readonly initial: Float32Array,
    private readonly rng: TorchGenerator,
  ) {
    const runtime = runtimeOf(exp);
    const { optimizer, data } = group;
    if (optimizer.kind !== 'sgd' || data.kind !== 'fresh') throw new Error('the WebAssembly kernel trains SGD on fresh batches');
    this.wasm = runtime.wasm;
    this.mt = runtime.mt;
    this.params = runtime.params.subarray(0, initial.length);
    this.params.set(initial);
    this.drawsPerStep = data.batchSize;
    this.defaultMomentum = optimizer.momentum;
    const slope = leakSlope(group.activation)!;
    const { state, index } = rng.snapshot();
    this.mt.set(state);
    // prettier-ignore
    this.wasm.startModel(group.hidden[0], slope, group.outputActivation ? slope : 1, data.batchSize,
      optimizer.dampening, optimizer.nesterov ? 1 : 0, optimizer.weightDecay, index);
  }

  get lossVal(): number {
    return this.wasm.lossVal();
  }

  measure(): number {
    return this.wasm.measure();
  }

  update(lr: number, momentum = this.defaultMomentum): void {
    this.wasm.update(lr, momentum);
  }

  valLoss(): number {
    return this.wasm.valLoss();
  }

  /**
   * Timing only (test/bench/fused-simd.ts's breakdown): runs one part of a step `reps` times in the kernel
   * over the state the last step left, then puts the generator's words back (the kernel its index), so that training goes on as before.
   */
  timePart(part: StepPart, reps: number): number {
    const state = this.mt.slice();
    const sum = this.wasm.timePart(STEP_PARTS.indexOf(part), reps, this.defaultMomentum);
    this.mt.set(state);
    return sum;
  }

  finish(): void {
    this.initial.set(this.params);
    this.rng.restore(this.mt, this.wasm.generatorIndex());
  }
}
