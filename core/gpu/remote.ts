// The WebGPU kernel run by another process: in the desktop app the training worker asks the GPU page (a
// hidden window whose Chromium owns the GPU) to train a group, and gets its chunks back. Transport-free:
// each side is given a `post` and fed the other's messages, so the same code runs over Electron's IPC,
// a worker's port, or (in the tests) a Playwright binding.
import { trainOnGpu, type GpuChunk, type GpuModelStart, type GpuTrainer, type GpuTrainOptions, type GpuTrainResult } from './trainer.ts';
import type { KernelSpec } from './wgsl.ts';

export type ToGpu =
  /** `marks`: every step whose own values the host needs, sorted (marksIn over the whole run); `breaks` likewise (breaksIn). */
  | {
      type: 'train';
      call: string;
      spec: KernelSpec;
      starts: GpuModelStart[];
      marks: number[];
      breaks: number[];
      options: Pick<GpuTrainOptions, 'stepsPerChunk' | 'traceSteps' | 'sampleSteps' | 'snapshotModels'>;
    }
  /** Send the models' current parameters after the next chunk (live weights for progress). */
  | { type: 'params'; call: string }
  | { type: 'stop'; call: string };

export type FromGpu =
  | { type: 'chunk'; call: string; chunk: GpuChunk }
  | { type: 'params'; call: string; params: Float32Array[] }
  | { type: 'done'; call: string; result: GpuTrainResult }
  | { type: 'error'; call: string; message: string };

/** The page itself went: its process crashed or its device was lost. Every call in flight is lost with it. */
export type GpuGone = { type: 'gone'; message: string };

/** What the GPU page says once, on loading: its adapter, or why it has none. */
export type GpuPageStatus = { type: 'ready'; adapter: string; fallback: boolean } | { type: 'unavailable'; message: string };

/** Everything main hears from the GPU page. */
export type FromGpuPage = FromGpu | GpuGone | GpuPageStatus;

/** The GPU page's end of its link to main (Electron's preload, or the tests' binding, provides it). */
export interface GpuPageLink {
  post(message: FromGpuPage): void;
  onMessage(listener: (message: ToGpu) => void): void;
}

/** Main's end of the link to the GPU page: what it said on loading, and its messages (subscribing returns the unsubscribe). */
export interface GpuPage {
  status: Promise<GpuPageStatus>;
  post(message: ToGpu): void;
  onMessage(listener: (message: FromGpu | GpuGone) => void): () => void;
}

const PAGE_MESSAGES = new Set(['chunk', 'params', 'done', 'error', 'gone', 'ready', 'unavailable']);

/** Whether a message from the page has a shape main may act on (main trusts no page blindly). */
export function isGpuPageMessage(message: unknown): message is FromGpuPage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, call } = message as { type?: unknown; call?: unknown };
  if (typeof type !== 'string' || !PAGE_MESSAGES.has(type)) return false;
  return ['gone', 'ready', 'unavailable'].includes(type) || typeof call === 'string';
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

/** The GPU's side: trains what it is asked on `device`, posting chunks, parameters when asked, and the result (or the error) back. */
export function serveGpu(device: GPUDevice, post: (message: FromGpu) => void): (message: ToGpu) => void {
  /** Calls in training, and whether each is to stop or to send its parameters. */
  const calls = new Map<string, { stop: boolean; params: boolean }>();
  return (message) => {
    const mine = calls.get(message.call);
    if (message.type === 'stop' || message.type === 'params') {
      if (mine) mine[message.type] = true; // a finished call has nothing left to stop or send
      return;
    }
    const { call, spec, starts, marks, breaks, options } = message;
    const state = { stop: false, params: false };
    calls.set(call, state);
    trainOnGpu(device, spec, starts, {
      ...options,
      marksIn: (from, to) => marksBetween(marks, from, to),
      breaksIn: (from, to) => marksBetween(breaks, from, to),
      shouldStop: () => state.stop,
      onChunk: async (chunk, readParams) => {
        post({ type: 'chunk', call, chunk });
        if (!state.params || !readParams) return;
        state.params = false;
        post({ type: 'params', call, params: await readParams() });
      },
    })
      .then(
        (result) => post({ type: 'done', call, result }),
        (err: unknown) => post({ type: 'error', call, message: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => calls.delete(call));
  };
}

/**
 * The asking side: a GpuTrainer that sends each call to a served GPU, and `receive` to feed it that GPU's
 * messages. A stop the host asks for (shouldStop, looked at as each chunk comes) is passed on; parameters
 * asked for come after the GPU's next chunk.
 */
export function gpuClient(
  post: (message: ToGpu) => void,
  /** Unique to this client: calls from several clients to one GPU page never mix. */
  prefix: string,
): { train: GpuTrainer; receive: (message: FromGpu | GpuGone) => void } {
  let calls = 0;
  interface Pending {
    options: GpuTrainOptions;
    resolve: (r: GpuTrainResult) => void;
    reject: (e: Error) => void;
    params: ((params: Float32Array[]) => void)[];
  }
  const pending = new Map<string, Pending>();
  const fail = (call: string, err: Error) => {
    const mine = pending.get(call);
    if (!mine) return;
    pending.delete(call);
    post({ type: 'stop', call });
    mine.reject(err);
  };
  const train: GpuTrainer = (spec, starts, options) =>
    new Promise((resolve, reject) => {
      const call = `${prefix}-${++calls}`;
      pending.set(call, { options, resolve, reject, params: [] });
      const { stepsPerChunk, traceSteps, sampleSteps, snapshotModels } = options;
      post({
        type: 'train',
        call,
        spec,
        starts,
        marks: options.marksIn(0, spec.maxSteps),
        breaks: options.breaksIn?.(0, spec.maxSteps) ?? [],
        options: { stepsPerChunk, traceSteps, sampleSteps, snapshotModels },
      });
    });
  const receive = (message: FromGpu | GpuGone) => {
    if (message.type === 'gone') {
      for (const call of [...pending.keys()]) fail(call, new Error(message.message));
      return;
    }
    const mine = pending.get(message.call);
    if (!mine) return;
    switch (message.type) {
      case 'chunk': {
        const readParams = () =>
          new Promise<Float32Array[]>((resolve) => {
            mine.params.push(resolve);
            post({ type: 'params', call: message.call });
          });
        Promise.resolve(mine.options.onChunk(message.chunk, readParams)).catch((err: unknown) =>
          fail(message.call, err instanceof Error ? err : new Error(String(err))),
        );
        if (mine.options.shouldStop()) post({ type: 'stop', call: message.call });
        return;
      }
      case 'params':
        for (const resolve of mine.params.splice(0)) resolve(message.params);
        return;
      case 'done':
        pending.delete(message.call);
        for (const resolve of mine.params.splice(0)) resolve(message.result.finalParams); // asked for as the call ended
        return mine.resolve(message.result);
      case 'error':
        pending.delete(message.call);
        return mine.reject(new Error(message.message));
    }
  };
  return { train, receive };
}

/**
 * Main's end of a link over any transport: `send` carries a message to the page; feed the page's messages
 * to `receive`. The page's first message settles `status`; a page that goes before it says more is unavailable.
 */
export function gpuPageOver(send: (message: ToGpu) => void): { page: GpuPage; receive: (message: FromGpuPage) => void } {
  const listeners = new Set<(message: FromGpu | GpuGone) => void>();
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
      if (message.type === 'ready' || message.type === 'unavailable') return settle(message);
      if (message.type === 'gone') settle({ type: 'unavailable', message: message.message }); // no effect once settled
      for (const listener of listeners) listener(message);
    },
  };
}
