// Runs a planned preset (plan.ts): trains its models in worker threads, and reports RunEvents.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { appendCurves } from '../../core/results/curves.ts';
import {
  runResultOf,
  type ModelProgress,
  type ModelRef,
  type ModelResult,
  type RunEvent,
  type RunInfo,
  type RunPlan,
  type RunResult,
  type TrainedModel,
} from '../../core/results/events.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import { shapeOf } from '../../core/model/network.ts';
import type { Plateaus } from '../../core/model/plateaus.ts';
import { tfjsDevice } from './backends.ts';
import { checkMemory, estimateMemory, workerHeapMb, type MemoryEstimate } from './budget.ts';
import { OrderedLog } from './ordered-log.ts';
import type { PlannedRun } from './plan.ts';
import { chooseVulkanDrivers } from './webgpu/device.ts';
import type { GpuPage } from '../../core/gpu/remote.ts';
import type { FromWorker, WorkerSetup } from './worker-protocol.ts';

export interface RunOptions {
  onEvent?: (event: RunEvent) => void;
  /** Fewest milliseconds between progress events (default 50: at most 20 a second). */
  progressIntervalMs?: number;
  /** The worker entry; the built desktop app passes its bundled one. */
  workerUrl?: URL;
  /** The app's GPU page, ready with `adapter`: webgpu trains there instead of on a Dawn device in the worker. */
  gpuPage?: { page: GpuPage; adapter: string };
}

const DEFAULT_WORKER = new URL('./worker.ts', import.meta.url);

function spawn(url: URL, setup: WorkerSetup, heapMb: number): Worker {
  return spawnWorker(url, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
}

/** A worker thread from its entry: a bundled one as is, a TypeScript one (a source checkout) through tsx. */
export function spawnWorker(url: URL, options: WorkerOptions): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  // A source checkout: the worker registers tsx's loader, then imports the TypeScript entry.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}

/** What a failed worker says, for a person: its first line, with no stack and no folders of this machine. */
export function plainError(message: string): string {
  return message
    .split('\n')[0]
    .replace(/(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"():]+)+[\\/]([^\s\\/'"():]+)/g, '$1')
    .slice(0, 300);
}

/**
 * The work a per-model run hands out: one model at a time on the CPU kernels, costliest first (most
 * parameters per step) so cheap ones fill the gaps at the end; a whole group at a time on tfjs and webgpu,
 * which train it as one batch. The order changes no result.
 */
function jobsOf(plan: RunPlan): number[][] {
  const { preset, models } = plan;
  if (tfjsDevice(plan.backend) !== null || plan.backend === 'webgpu')
    return preset.groups.map((_, g) => models.filter((m) => m.groupIndex === g).map((m) => m.id));
  const cost = (m: ModelRef) => shapeOf(preset.groups[m.groupIndex].hidden).size;
  return [...models].sort((p, q) => cost(q) - cost(p)).map((m) => [m.id]);
}

export class Run {
  readonly plan: RunPlan;
  /** The memory it is expected to need (a run too big for this machine is refused on construction). */
  readonly memory: MemoryEstimate;
  /** Each finished model's snapshots, by model id (the models that kept any): stored beside the result. */
  readonly snapshots = new Map<number, Snapshots>();
  private readonly stopFlag = new SharedArrayBuffer(4);
  private coordinator: Coordinator | null = null;

  /** The run `planned` by planLocalRun. */
  constructor(
    planned: PlannedRun,
    private readonly options: RunOptions = {},
  ) {
    this.plan = planned.plan;
    if (this.plan.backend === 'webgpu' && !options.gpuPage) chooseVulkanDrivers(false); // before the worker that opens the device
    this.memory = estimateMemory(this.plan);
    checkMemory(this.memory);
  }

  /** Trains every model; resolves with the result once all have finished or the run was stopped. A run starts once. */
  start(): Promise<RunResult> {
    if (this.coordinator) throw new Error('this run has already been started');
    const coordinator = new Coordinator(this.plan, this.options, this.stopFlag, workerHeapMb(this.memory), this.snapshots);
    this.coordinator = coordinator;
    return coordinator.done;
  }

  /** Asks every worker to stop within a few thousand steps; start() then resolves with what ran. */
  stop(): void {
    Atomics.store(new Int32Array(this.stopFlag), 0, 1);
    this.coordinator?.stop();
  }

  /** Steps trained so far and steps left at most, as the progress events count them (a queue job reports them). */
  steps(): StepCount {
    return this.coordinator?.steps() ?? { done: 0, left: this.plan.models.length * this.plan.preset.stop.maxSteps };
  }
}

/** A run's steps: trained so far, and left at most (each unfinished model to its cap). */
export interface StepCount {
  done: number;
  left: number;
}

/** One run's workers and the bookkeeping of their messages. */
class Coordinator {
  readonly done: Promise<RunResult>;
  private resolve!: (result: RunResult) => void;
  private reject!: (err: Error) => void;
  private readonly workers: Worker[] = [];
  private readonly emit: (event: RunEvent) => void;
  private readonly interval: number;
  private readonly results: (ModelResult | undefined)[];
  private readonly latestStep: number[];
  /** Progress not sent yet, one entry per model (the latest, with every curve point since the last send). */
  private readonly pending = new Map<number, ModelProgress>();
  private readonly queue: number[][];
  private info: RunInfo | null = null;
  private log: OrderedLog | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private began = 0;
  private idle = 0;
  private stopped = false;
  private ended = false;
  private gpuPage: GpuPage | undefined;
  /** The GPU page's calls in progress, and the end of this run's subscription to its messages. */
  private readonly gpuCalls = new Set<string>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly plan: RunPlan,
    options: RunOptions,
    stopFlag: SharedArrayBuffer,
    heapMb: number,
    private readonly snapshots: Map<number, Snapshots>,
  ) {
    this.done = new Promise<RunResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.emit = options.onEvent ?? (() => {});
    this.interval = options.progressIntervalMs ?? 50;
    // indexed by model id (part of a run has gaps)
    const ids = plan.models.length ? plan.models[plan.models.length - 1].id + 1 : 0;
    this.results = new Array<ModelResult | undefined>(ids).fill(undefined);
    this.latestStep = new Array<number>(ids).fill(0);
    this.queue = plan.preset.rng === 'per-model' ? jobsOf(plan) : [];
    const setup: WorkerSetup = {
      preset: plan.preset,
      streams: plan.streams,
      curvesPerCell: plan.sweep?.curvesPerCell ?? null,
      backend: plan.backend,
      stopFlag,
      progressIntervalMs: this.interval,
    };
    const gpu = plan.backend === 'webgpu' ? options.gpuPage : undefined;
    if (gpu) {
      // the worker's calls to the GPU page go through here, named so that no other run's replies reach it
      const calls = `run-${randomUUID()}`;
      setup.gpuPage = { adapter: gpu.adapter, calls };
      this.gpuPage = gpu.page;
      this.unsubscribe = gpu.page.onMessage((message) => {
        if (message.type !== 'gone' && !message.call.startsWith(`${calls}-`)) return;
        if (message.type === 'done' || message.type === 'error') this.gpuCalls.delete(message.call);
        this.workers[0]?.postMessage({ type: 'gpu', message });
      });
    }
    for (let w = 0; w < plan.workers; w++) {
      const worker = spawn(options.workerUrl ?? DEFAULT_WORKER, setup, heapMb);
      this.workers.push(worker);
      worker.on('error', (err) => this.fail(err.message));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(`a training worker stopped (exit code ${code})`);
      });
      worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        return this.onReady(message.engine, message.plateaus);
      case 'log':
        return this.log!.line(message.id, message.line);
      case 'progress':
        return this.onProgress(message.progress);
      case 'done':
        return this.onDone(message.result);
      case 'idle':
        return this.onIdle(worker);
      case 'error':
        return this.fail(message.message);
      case 'gpu':
        if (message.message.type === 'train') this.gpuCalls.add(message.message.call);
        return this.gpuPage?.post(message.message);
    }
  }

  /** The first worker to load names the engine: the run starts. */
  private onReady(engine: string, plateaus: Plateaus): void {
    if (this.info) return;
    this.info = Object.freeze({ ...this.plan, engine, plateaus });
    this.began = performance.now();
    this.timer = setInterval(() => this.flushProgress(), this.interval);
    this.emit({ type: 'started', info: this.info });
    this.emit({ type: 'log', line: engine, model: null });
    this.log = new OrderedLog(this.plan.models, (line, model) => this.emit({ type: 'log', line, model }));
  }

  private onProgress(progress: ModelProgress): void {
    this.latestStep[progress.id] = progress.step;
    const before = this.pending.get(progress.id);
    if (before) {
      appendCurves(before.curves, progress.curves); // not yet sent: one message carries both
      progress.curves = before.curves;
    }
    this.pending.set(progress.id, progress);
  }

  private onDone({ snapshots, ...result }: TrainedModel): void {
    if (snapshots.step.length) this.snapshots.set(result.id, snapshots); // beside the result: it stays its size
    this.results[result.id] = result;
    this.log!.finished(result.id);
    this.emit({ type: 'modelFinished', result });
  }

  /** A worker wants work: the next job, or nothing left, and once every worker is idle the run is over. */
  private onIdle(worker: Worker): void {
    if (this.queue.length && !this.stopped) worker.postMessage({ type: 'train', ids: this.queue.shift()! });
    else if (++this.idle === this.workers.length) this.finish();
  }

  /** Steps trained so far, and steps left at most (each unfinished model to its cap): the rate and the ETA. */
  steps(): StepCount {
    const { models, preset } = this.plan;
    const finished = (id: number) => this.results[id];
    return {
      done: models.reduce((sum, m) => sum + (finished(m.id) ? finished(m.id)!.steps + 1 : this.latestStep[m.id]), 0),
      left: models.reduce((sum, m) => sum + (finished(m.id) ? 0 : preset.stop.maxSteps - this.latestStep[m.id]), 0),
    };
  }

  private flushProgress(): void {
    if (!this.pending.size) return;
    const { done: stepsDone, left } = this.steps();
    const rate = stepsDone / Math.max((performance.now() - this.began) / 1000, 1e-3);
    this.emit({
      type: 'progress',
      models: [...this.pending.values()],
      modelsDone: this.results.filter(Boolean).length,
      stepsPerSecond: rate,
      etaSeconds: rate > 0 ? left / rate : null,
    });
    this.pending.clear();
  }

  private end(): void {
    this.ended = true;
    clearInterval(this.timer);
    // the worker goes: what it asked of the GPU page stops too
    for (const call of this.gpuCalls) this.gpuPage?.post({ type: 'stop', call });
    this.unsubscribe?.();
    for (const w of this.workers) void w.terminate();
  }

  private finish(): void {
    this.flushProgress();
    this.log?.close();
    this.end();
    const done = this.results.filter((r): r is ModelResult => r !== undefined);
    const stopped = done.length < this.plan.models.length || done.some((r) => r.status === 'stopped');
    const result = runResultOf(this.info!, done, stopped); // finish() only follows the first 'ready'
    this.emit({ type: 'finished', result });
    this.resolve(result);
  }

  private fail(message: string): void {
    if (this.ended) return; // terminating the others makes them exit too
    this.end();
    this.reject(new Error(`training worker failed: ${plainError(message)}`));
  }
}
