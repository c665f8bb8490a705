// The WebGPU kernel run by another process: in the desktop app the training worker asks the GPU page (a
// hidden window whose Chromium owns the GPU) to train a group, and gets its chunks back. Transport-free:
// each side is given a `post` and fed the other's messages, so the same code runs over Electron's IPC,
// a worker's port, or (in the tests) a Playwright binding.
import { trainOnGpu, type GpuChunk, type GpuModelStart, type GpuTrainer, type GpuTrainOptions, type GpuTrainResult } from './trainer.ts';
import type { KernelSpec } from './wgsl.ts';

export type ToGpu =
  /** `marks`: every step whose own values the host needs, sorted (marksIn over the whole run). */
  | {
      type: 'train';
      call: string;
      spec: KernelSpec;
      starts: GpuModelStart[];
      marks: number[];
      options: Pick<GpuTrainOptions, 'stepsPerChunk' | 'traceSteps' | 'sampleSteps'>;
    }
  | { type: 'stop'; call: string };

export type FromGpu =
  | { type: 'chunk'; call: string; chunk: GpuChunk }
  | { type: 'done'; call: string; result: GpuTrainResult }
  | { type: 'error'; call: string; message: string };

/** What the GPU page says once, on loading: its adapter, or why it has none. */
export type GpuPageStatus = { type: 'ready'; adapter: string; fallback: boolean } | { type: 'unavailable'; message: string };

/** The GPU page's end of its link to main (Electron's preload, or the tests' binding, provides it). */
export interface GpuPageLink {
  post(message: FromGpu | GpuPageStatus): void;
  onMessage(listener: (message: ToGpu) => void): void;
}

/** Main's end of the link to the GPU page: what it said on loading, and its messages (subscribing returns the unsubscribe). */
export interface GpuPage {
  status: Promise<GpuPageStatus>;
  post(message: ToGpu): void;
  onMessage(listener: (message: FromGpu) => void): () => void;
}

/** The steps of `marks` (sorted) in [from, to). */
function marksBetween(marks: number[], from: number, to: number): number[] {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let k = lo; k < marks.length && marks[k] < to; k++) out.push(marks[k]);
  return out;
}

/** The GPU's side: trains what it is asked on `device`, posting chunks and the result (or the error) back. */
export function serveGpu(device: GPUDevice, post: (message: FromGpu) => void): (message: ToGpu) => void {
  const stopped = new Set<string>();
  return (message) => {
    if (message.type === 'stop') {
      stopped.add(message.call);
      return;
    }
    const { call, spec, starts, marks, options } = message;
    trainOnGpu(device, spec, starts, {
      ...options,
      marksIn: (from, to) => marksBetween(marks, from, to),
      shouldStop: () => stopped.has(call),
      onChunk: (chunk) => post({ type: 'chunk', call, chunk }),
    }).then(
      (result) => post({ type: 'done', call, result }),
      (err: unknown) => post({ type: 'error', call, message: err instanceof Error ? err.message : String(err) }),
    );
  };
}

/**
 * The asking side: a GpuTrainer that sends each call to a served GPU, and `receive` to feed it that GPU's
 * messages. A stop the host asks for (shouldStop, looked at as each chunk comes) is passed on.
 */
export function gpuClient(
  post: (message: ToGpu) => void,
  /** Unique to this client: calls from several clients to one GPU page never mix. */
  prefix: string,
): { train: GpuTrainer; receive: (message: FromGpu) => void } {
  let calls = 0;
  const pending = new Map<string, { options: GpuTrainOptions; resolve: (r: GpuTrainResult) => void; reject: (e: Error) => void }>();
  const train: GpuTrainer = (spec, starts, options) =>
    new Promise((resolve, reject) => {
      const call = `${prefix}-${++calls}`;
      pending.set(call, { options, resolve, reject });
      const { stepsPerChunk, traceSteps, sampleSteps } = options;
      post({
        type: 'train',
        call,
        spec,
        starts,
        marks: options.marksIn(0, spec.maxSteps),
        options: { stepsPerChunk, traceSteps, sampleSteps },
      });
    });
  const receive = (message: FromGpu) => {
    const mine = pending.get(message.call);
    if (!mine) return;
    if (message.type === 'chunk') {
      mine.options.onChunk(message.chunk);
      if (mine.options.shouldStop()) post({ type: 'stop', call: message.call });
      return;
    }
    pending.delete(message.call);
    if (message.type === 'done') mine.resolve(message.result);
    else mine.reject(new Error(message.message));
  };
  return { train, receive };
}

/**
 * Main's end of a link over any transport: `send` carries a message to the page; feed the page's messages
 * to `receive`. The page's first message settles `status`.
 */
export function gpuPageOver(send: (message: ToGpu) => void): { page: GpuPage; receive: (message: FromGpu | GpuPageStatus) => void } {
  const listeners = new Set<(message: FromGpu) => void>();
  let settle!: (status: GpuPageStatus) => void;
  const status = new Promise<GpuPageStatus>((resolve) => (settle = resolve));
  return {
    page: {
      status,
      post: send,
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    receive: (message) => {
      if (message.type === 'ready' || message.type === 'unavailable') settle(message);
      else for (const listener of listeners) listener(message);
    },
  };
}
