// Trains the models of one group together on a WebGPU device, many steps per dispatch. Device-agnostic:
// it takes a GPUDevice (Dawn in Node, or Chromium's own in the renderer) and plain arrays, and reports each
// chunk's records; whoever calls it turns them into the engine's results.
import { makeSchedule } from '../model/schedule.ts';
import {
  CAPPED,
  DIVERGED,
  MT_WORDS,
  REACHED,
  RUNNING,
  SEGMENT_WORDS,
  STATE_FIELDS,
  STATE_WORDS,
  TABLE_WORDS,
  trainerWgsl,
  WORKGROUP,
  type KernelSpec,
} from './wgsl.ts';

export type GpuStatus = 'running' | 'reached' | 'diverged' | 'capped';
const STATUS: Record<number, GpuStatus> = { [RUNNING]: 'running', [REACHED]: 'reached', [DIVERGED]: 'diverged', [CAPPED]: 'capped' };

/** Where a model starts: its initial parameters and its MT19937 stream right after drawing them. */
export interface GpuModelStart {
  params: Float32Array;
  mtState: Uint32Array;
  mtIndex: number;
}

/**
 * One chunk's records. Segment k of model m covers steps marks[k] .. (next mark or the model's last step):
 * the losses at its first step, then the min and max of lossTrain and lossVal over it.
 */
export interface GpuChunk {
  from: number;
  to: number;
  marks: number[];
  /** (k * models + m) * SEGMENT_WORDS */
  segments: Float32Array;
  status: GpuStatus[];
  /** The schedule's lr at each step of the chunk (from + s), as train.ts records it. */
  lr: number[];
  /** The last step each model ran in this chunk, and its losses there. */
  lastStep: Uint32Array;
  lastTrain: Float32Array;
  lastVal: Float32Array;
  /**
   * The parameters of the snapshotModels (in their order) after the chunk, read back where `to` is a break
   * or one of them stopped in it: those at step `to` before its update, or at the step it stopped.
   */
  params?: Float32Array[];
}

export interface GpuTrainOptions {
  /** The steps in [from, to) whose own values a chunk must keep (curve points, log prints); `from` is added. */
  marksIn(from: number, to: number): number[];
  /**
   * After each chunk; `readParams` (where the device is in this process) reads every model's current
   * parameters back, a copy of them all: sparingly.
   */
  onChunk(chunk: GpuChunk, readParams?: () => Promise<Float32Array[]>): void | Promise<void>;
  shouldStop(): boolean;
  /** The steps in [from, to) a chunk ends before, so that it carries the parameters at them (snapshots). */
  breaksIn?(from: number, to: number): number[];
  /** The models (indices into the starts) whose parameters a chunk carries. */
  snapshotModels?: number[];
  /** Steps per dispatch at most (each lasts about CHUNK_MS below that). */
  stepsPerChunk?: number;
  /** Every model's losses at every step below this (checks against the CPU kernel). */
  traceSteps?: number;
  /** Every model's drawn samples at the steps below this. */
  sampleSteps?: number;
}

export interface GpuTrainResult {
  status: (GpuStatus | 'stopped')[];
  lastStep: number[];
  finalParams: Float32Array[];
  /** [step][model] losses when traceSteps was asked for. */
  trace: { lossTrain: Float32Array; lossVal: Float32Array } | null;
  /** [step][sample][model] when sampleSteps was asked for. */
  samples: Float32Array | null;
}

// WebGPU's flag values, written out: Node has no GPUBufferUsage global unless a host installs one.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ_MODE = 0x1;

const DEFAULT_STEPS_PER_CHUNK = 2048;
const FIRST_CHUNK_STEPS = 16;
/** About how long one dispatch and its readback should take. */
const CHUNK_MS = 250;
/** Marks per chunk at most: the segment buffer holds this many records per model. */
const MAX_MARKS = 64;

/** What trains a group on some WebGPU device: trainOnGpu bound to a device in this process, or a remote one (remote.ts). */
export type GpuTrainer = (spec: KernelSpec, starts: GpuModelStart[], options: GpuTrainOptions) => Promise<GpuTrainResult>;

/** trainOnGpu on `device`. */
export function trainerOn(device: GPUDevice): GpuTrainer {
  return (spec, starts, options) => trainOnGpu(device, spec, starts, options);
}

export async function trainOnGpu(
  device: GPUDevice,
  spec: KernelSpec,
  starts: GpuModelStart[],
  options: GpuTrainOptions,
): Promise<GpuTrainResult> {
  const stepsPerChunk = options.stepsPerChunk ?? DEFAULT_STEPS_PER_CHUNK;
  // the largest buffer: every model's MT19937 state, or its segment records
  const largest = starts.length * 4 * Math.max(MT_WORDS, MAX_MARKS * SEGMENT_WORDS);
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (largest > limit) {
    const mb = (bytes: number) => Math.floor(bytes / 2 ** 20).toLocaleString('en-US');
    throw new Error(
      `${starts.length.toLocaleString('en-US')} models in one group need a ${mb(largest)} MB GPU buffer; this adapter binds at most ${mb(limit)} MB: train at most ${Math.floor(limit / (largest / starts.length)).toLocaleString('en-US')} at once`,
    );
  }
  const pipeline = await compile(device, spec);
  const trainer = new GpuGroup(device, pipeline, spec, starts, stepsPerChunk, options.traceSteps ?? 0, options.sampleSteps ?? 0);
  try {
    return await trainer.run(options);
  } finally {
    trainer.destroy();
  }
}

/** The group's kernel, with the compiler's own words when it refuses (a bug here, never the user's). */
async function compile(device: GPUDevice, spec: KernelSpec): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ code: trainerWgsl(spec) });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  if (errors.length)
    throw new Error(`the WebGPU kernel does not compile: ${errors.map((e) => `${e.lineNum}:${e.linePos} ${e.message}`).join('; ')}`);
  // createComputePipelineAsync aborts the process in Dawn's Node binding (webgpu 0.6.2)
  return device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
}

class GpuGroup {
  private readonly models: number;
  private readonly size: number;
  private readonly buffers: GPUBuffer[] = [];
  private readonly params: GPUBuffer;
  private readonly state: GPUBuffer;
  private readonly table: GPUBuffer;
  private readonly marks: GPUBuffer;
  private readonly segments: GPUBuffer;
  private readonly debug: GPUBuffer;
  private readonly uniforms: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
    private readonly spec: KernelSpec,
    starts: GpuModelStart[],
    private readonly stepsPerChunk: number,
    private readonly traceSteps: number,
    private readonly sampleSteps: number,
  ) {
    const M = starts.length;
    const P = starts[0].params.length;
    this.models = M;
    this.size = P;
    const interleave = <T extends Float32Array | Uint32Array>(out: T, words: number, word: (m: number, k: number) => number) => {
      for (let k = 0; k < words; k++) for (let m = 0; m < M; m++) out[k * M + m] = word(m, k);
      return out;
    };
    this.params = this.storage(interleave(new Float32Array(P * M), P, (m, k) => starts[m].params[k]));
    const optimizerWords = spec.group.optimizer.kind === 'adam' ? 2 * P : P;
    const opt = this.storage(new Float32Array(optimizerWords * M));
    const mt = this.storage(interleave(new Uint32Array(MT_WORDS * M), MT_WORDS, (m, k) => starts[m].mtState[k]));
    this.state = this.storage(
      interleave(new Uint32Array(STATE_WORDS * M), STATE_WORDS, (m, k) => (k === STATE_FIELDS.mtIndex ? starts[m].mtIndex : 0)),
    );
    this.table = this.storage(new Float32Array(TABLE_WORDS * stepsPerChunk));
    this.marks = this.storage(new Uint32Array(MAX_MARKS));
    this.segments = this.storage(new Float32Array(MAX_MARKS * M * SEGMENT_WORDS));
    const batch = spec.group.data.kind === 'fresh' ? spec.group.data.batchSize : 0;
    this.debug = this.storage(new Float32Array(Math.max(1, (2 * traceSteps + sampleSteps * batch) * M)));
    this.uniforms = device.createBuffer({ size: 32, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    this.buffers.push(this.uniforms);
    const resources = [this.uniforms, this.params, opt, mt, this.state, this.table, this.marks, this.segments, this.debug];
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: resources.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  private storage(data: Float32Array | Uint32Array): GPUBuffer {
    const buffer = this.device.createBuffer({
      size: Math.max(16, data.byteLength),
      usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST,
    });
    this.device.queue.writeBuffer(buffer, 0, data);
    this.buffers.push(buffer);
    return buffer;
  }

  async run(options: GpuTrainOptions): Promise<GpuTrainResult> {
    const { maxSteps } = this.spec;
    const M = this.models;
    const steps = new StepTable(this.spec);
    const status: (GpuStatus | 'stopped')[] = new Array<GpuStatus>(M).fill('running');
    const lastStep = new Array<number>(M).fill(0);
    let from = 0;
    // Chunks grow or shrink to about CHUNK_MS each, so a stop and progress come as often on a slow adapter
    // (SwiftShader, a million models) as on a fast one; the first is short, to measure.
    let chunkSteps = FIRST_CHUNK_STEPS;
    while (from < maxSteps && status.includes('running')) {
      if (options.shouldStop()) {
        status.forEach((s, m) => {
          if (s !== 'running') return;
          status[m] = 'stopped';
          lastStep[m] = from - 1;
        });
        break;
      }
      let to = Math.min(maxSteps, from + Math.min(chunkSteps, this.stepsPerChunk));
      to = options.breaksIn?.(from + 1, to)[0] ?? to;
      let marks = [...new Set([from, ...options.marksIn(from, to)])].sort((a, b) => a - b);
      if (marks.length > MAX_MARKS) {
        to = marks[MAX_MARKS];
        marks = marks.slice(0, MAX_MARKS);
      }
      const rows = steps.rows(to - from);
      const began = performance.now();
      const chunk = await this.runChunk(from, to, marks, rows.table, rows.lr);
      const msPerStep = Math.max(1e-3, (performance.now() - began) / (to - from));
      chunkSteps = Math.max(1, Math.round(CHUNK_MS / msPerStep));
      const kept = options.snapshotModels ?? [];
      const running = kept.filter((m) => status[m] === 'running');
      const ended = running.some((m) => chunk.status[m] !== 'running');
      if (running.length && (ended || options.breaksIn?.(to, to + 1).length)) chunk.params = await this.readParams(kept);
      chunk.status.forEach((s, m) => {
        if (status[m] !== 'running') return;
        status[m] = s;
        lastStep[m] = chunk.lastStep[m];
      });
      await options.onChunk(chunk, () => this.readParams());
      from = to;
    }
    const finalParams = await this.readParams();
    return { status, lastStep, finalParams, ...(await this.readDebug()) };
  }

  private async runChunk(from: number, to: number, marks: number[], table: Float32Array, lr: number[]): Promise<GpuChunk> {
    const { device, models: M } = this;
    const uniforms = new Uint32Array([M, from, to - from, marks.length, this.traceSteps, this.sampleSteps, 0, 0]);
    device.queue.writeBuffer(this.uniforms, 0, uniforms);
    device.queue.writeBuffer(this.table, 0, table);
    device.queue.writeBuffer(
      this.marks,
      0,
      Uint32Array.from(marks, (s) => s - from),
    );
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(M / WORKGROUP));
    pass.end();
    device.queue.submit([encoder.finish()]);
    const [segments, state] = await this.read([
      [this.segments, marks.length * M * SEGMENT_WORDS * 4],
      [this.state, STATE_WORDS * M * 4],
    ]);
    const words = new Uint32Array(state);
    const field = (f: number) => words.subarray(f * M, (f + 1) * M);
    return {
      from,
      to,
      marks,
      segments: new Float32Array(segments),
      lr,
      status: Array.from(field(STATE_FIELDS.status), (s) => STATUS[s]),
      lastStep: field(STATE_FIELDS.lastStep).slice(),
      lastTrain: new Float32Array(field(STATE_FIELDS.lastTrain).slice().buffer),
      lastVal: new Float32Array(field(STATE_FIELDS.lastVal).slice().buffer),
    };
  }

  /** The parameters of `models` (every one unless told), in that order. */
  private async readParams(models?: number[]): Promise<Float32Array[]> {
    const { models: M, size: P } = this;
    const [data] = await this.read([[this.params, P * M * 4]]);
    const all = new Float32Array(data);
    const of = (m: number) => Float32Array.from({ length: P }, (_, k) => all[k * M + m]);
    return models ? models.map(of) : Array.from({ length: M }, (_, m) => of(m));
  }

  private async readDebug(): Promise<Pick<GpuTrainResult, 'trace' | 'samples'>> {
    const M = this.models;
    if (this.traceSteps === 0 && this.sampleSteps === 0) return { trace: null, samples: null };
    const [data] = await this.read([[this.debug, this.debug.size]]);
    const all = new Float32Array(data);
    const traced = 2 * this.traceSteps * M;
    const lossTrain = new Float32Array(this.traceSteps * M);
    const lossVal = new Float32Array(this.traceSteps * M);
    for (let k = 0; k < this.traceSteps * M; k++) {
      lossTrain[k] = all[2 * k];
      lossVal[k] = all[2 * k + 1];
    }
    return { trace: this.traceSteps ? { lossTrain, lossVal } : null, samples: this.sampleSteps ? all.slice(traced) : null };
  }

  /** Copies buffers into mappable ones and reads them (one submit, one wait). */
  private async read(sources: [GPUBuffer, number][]): Promise<ArrayBuffer[]> {
    const encoder = this.device.createCommandEncoder();
    const staging = sources.map(([buffer, bytes]) => {
      const target = this.device.createBuffer({ size: Math.max(4, bytes), usage: USAGE.MAP_READ | USAGE.COPY_DST });
      if (bytes > 0) encoder.copyBufferToBuffer(buffer, 0, target, 0, bytes);
      return target;
    });
    this.device.queue.submit([encoder.finish()]);
    try {
      await Promise.all(staging.map((b) => b.mapAsync(MAP_READ_MODE)));
      return staging.map((b, k) => b.getMappedRange(0, Math.max(4, sources[k][1])).slice(0));
    } finally {
      staging.forEach((b) => b.destroy());
    }
  }

  destroy(): void {
    this.buffers.forEach((b) => b.destroy());
  }
}

/**
 * The per-step values every model of a group shares, computed on the host as train.ts steps them:
 * the schedule's lr and momentum, whether SGD has its momentum buffer yet, Adam's bias corrections.
 */
class StepTable {
  private readonly schedule;
  private step = 0;
  private hasBuffer = false;

  constructor(private readonly spec: KernelSpec) {
    this.schedule = makeSchedule(spec.group.schedule, spec.group.optimizer);
  }

  rows(count: number): { table: Float32Array; lr: number[] } {
    const optimizer = this.spec.group.optimizer;
    const out = new Float32Array(count * TABLE_WORDS);
    const lr: number[] = [];
    for (let s = 0; s < count; s++) {
      const o = s * TABLE_WORDS;
      lr.push(this.schedule.lr);
      out[o] = this.schedule.lr;
      if (optimizer.kind === 'sgd') {
        const momentum = this.schedule.momentum ?? optimizer.momentum;
        out[o + 1] = momentum;
        out[o + 2] = this.hasBuffer ? 0 : 1;
        if (momentum !== 0) this.hasBuffer = true;
      } else {
        const t = this.step + 1;
        out[o + 3] = this.schedule.lr / (1 - optimizer.beta1 ** t);
        out[o + 4] = Math.sqrt(1 - optimizer.beta2 ** t);
      }
      this.schedule.step();
      this.step++;
    }
    return { table: out, lr };
  }
}
