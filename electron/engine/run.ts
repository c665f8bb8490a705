// Runs a preset: plans the models, trains them in worker threads, and reports RunEvents.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveBackend, tfjsDevice } from './backends.ts';
import type { Backend, ModelProgress, ModelRef, ModelResult, RunEvent, RunInfo, RunResult } from './events.ts';
import { appendCurves } from './curves.ts';
import { RESULT_FORMAT } from './events.ts';
import { experimentOf } from './experiment.ts';
import { shapeOf } from './network.ts';
import { OrderedLog } from './ordered-log.ts';
import type { Preset } from './preset.ts';
import { summarise } from './summary.ts';
import type { FromWorker, WorkerSetup } from './worker-protocol.ts';

export interface RunOptions {
  backend?: Backend;
  /** Worker threads for per-model runs on the CPU kernels (torch-stream and tfjs runs use one). Default: one per core. */
  workers?: number;
  onEvent?: (event: RunEvent) => void;
  /** Fewest milliseconds between progress events (default 50: at most 20 a second). */
  progressIntervalMs?: number;
  /** The worker entry; the built desktop app passes its bundled one. */
  workerUrl?: URL;
}

const DEFAULT_WORKER = new URL('./worker.ts', import.meta.url);

function parameterCount(preset: Preset, model: ModelRef): number {
  return shapeOf(preset.groups[model.groupIndex].hidden).size;
}

function spawn(url: URL, setup: WorkerSetup): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: setup });
  // A source checkout: the worker registers tsx's loader, then imports the TypeScript entry.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(url.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: setup });
}

/**
 * The work a per-model run hands out: one model at a time on the CPU kernels, costliest first (most
 * parameters per step) so cheap ones fill the gaps at the end; a whole group at a time on tfjs, which
 * trains it as one batch. The order changes no result.
 */
function jobsOf(models: ModelRef[], preset: Preset, backend: Backend): number[][] {
  if (tfjsDevice(backend) !== null) return preset.groups.map((_, g) => models.filter((m) => m.groupIndex === g).map((m) => m.id));
  return [...models].sort((p, q) => parameterCount(preset, q) - parameterCount(preset, p)).map((m) => [m.id]);
}

export class Run {
  readonly info: RunInfo;
  private readonly stopFlag = new SharedArrayBuffer(4);
  private readonly workers: Worker[] = [];
  private stopped = false;

  constructor(preset: Preset, private readonly options: RunOptions = {}) {
    const exp = experimentOf(preset);
    const backend = resolveBackend(options.backend ?? 'fused', preset);
    const parallel = preset.rng === 'per-model' && tfjsDevice(backend) === null;
    this.info = {
      engine: '', // named by the first worker once its backend has loaded
      backend,
      preset,
      models: exp.models,
      plateaus: exp.plateaus,
      workers: parallel ? Math.max(1, Math.min(options.workers ?? availableParallelism(), exp.models.length)) : 1,
    };
  }

  /** Asks every worker to stop within a few thousand steps; start() then resolves with what ran. */
  stop(): void {
    this.stopped = true;
    Atomics.store(new Int32Array(this.stopFlag), 0, 1);
  }

  start(): Promise<RunResult> {
    const { info, options } = this;
    const emit = options.onEvent ?? (() => {});
    const interval = options.progressIntervalMs ?? 50;
    const models = info.models;
    const results: (ModelResult | undefined)[] = models.map(() => undefined);
    const latestStep = models.map(() => 0);
    const pending = new Map<number, ModelProgress>();
    const queue = info.preset.rng === 'per-model' ? jobsOf(models, info.preset, info.backend) : [];
    const maxSteps = info.preset.stop.maxSteps;
    let log: OrderedLog | null = null;
    let began = 0;

    const flushProgress = () => {
      if (!pending.size) return;
      const stepsDone = models.reduce((sum, m) => sum + (results[m.id] ? results[m.id]!.steps + 1 : latestStep[m.id]), 0);
      const rate = stepsDone / Math.max((performance.now() - began) / 1000, 1e-3);
      const left = models.reduce((sum, m) => sum + (results[m.id] ? 0 : maxSteps - latestStep[m.id]), 0);
      emit({
        type: 'progress', models: [...pending.values()], modelsDone: results.filter(Boolean).length,
        stepsPerSecond: rate, etaSeconds: rate > 0 ? left / rate : null,
      });
      pending.clear();
    };
    let timer: ReturnType<typeof setInterval> | undefined;

    return new Promise<RunResult>((resolve, reject) => {
      let idle = 0;
      const end = () => {
        clearInterval(timer);
        for (const w of this.workers) void w.terminate();
      };
      const finish = () => {
        flushProgress();
        log?.close();
        end();
        const done = results.filter((r): r is ModelResult => r !== undefined);
        const result: RunResult = {
          format: RESULT_FORMAT, version: 1, engine: info.engine, backend: info.backend, preset: info.preset,
          plateaus: info.plateaus, stopped: done.length < models.length || done.some((r) => r.status === 'stopped'),
          models: done, summary: summarise(info.preset, done),
        };
        emit({ type: 'finished', result });
        resolve(result);
      };
      const fail = (message: string) => {
        end();
        reject(new Error(`training worker failed: ${message}`));
      };
      const setup: WorkerSetup = { preset: info.preset, backend: info.backend, stopFlag: this.stopFlag, progressIntervalMs: interval };
      for (let w = 0; w < info.workers; w++) {
        const worker = spawn(options.workerUrl ?? DEFAULT_WORKER, setup);
        this.workers.push(worker);
        worker.on('error', (err) => fail(err.stack ?? err.message));
        worker.on('message', (message: FromWorker) => {
          switch (message.type) {
            case 'ready':
              if (log) break;
              info.engine = message.engine;
              began = performance.now();
              timer = setInterval(flushProgress, interval);
              emit({ type: 'started', info });
              emit({ type: 'log', line: info.engine });
              log = new OrderedLog(models, (line) => emit({ type: 'log', line }));
              break;
            case 'log': log!.line(message.id, message.line); break;
            case 'progress': {
              const p = message.progress;
              latestStep[p.id] = p.step;
              const before = pending.get(p.id);
              if (before) { appendCurves(before.curves, p.curves); p.curves = before.curves; } // not yet sent: one message carries both
              pending.set(p.id, p);
              break;
            }
            case 'done':
              results[message.result.id] = message.result;
              log!.finished(message.result.id);
              emit({ type: 'modelFinished', result: message.result });
              break;
            case 'idle':
              if (queue.length && !this.stopped) worker.postMessage({ type: 'train', ids: queue.shift()! });
              else if (++idle === info.workers) finish();
              break;
            case 'error': fail(message.message); break;
          }
        });
      }
    });
  }
}
