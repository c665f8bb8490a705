// The bridge's wire format, free of dependencies: a sandboxed preload can only require 'electron', so
// what it needs — the method names, the channels, the envelope and the API builder — lives here.
import type { LabApi, RunMessage } from './contract.ts';

export const METHODS = [
  'machine',
  'listPresets',
  'savePreset',
  'renamePreset',
  'duplicatePreset',
  'deletePreset',
  'importPreset',
  'exportPreset',
  'exportTorchScript',
  'startRun',
  'stopRun',
  'listRuns',
  'getRun',
  'getRunPreset',
  'getSnapshots',
  'deleteRun',
  'updateRun',
  'exportLog',
  'exportData',
  'exportChart',
  'exportAllCharts',
  'saveAnimation',
  'getSettings',
  'updateSettings',
  'landscape',
] as const;
export type Method = (typeof METHODS)[number];

/** What crosses the bridge for each call: the result, or one error message (never a stack). */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

export const invokeChannel = (method: Method) => `lab:${method}`;
export const RUN_EVENT_CHANNEL = 'lab:run-event';
/** The hidden GPU page's link to main (core/gpu/remote.ts says what travels on it). */
export const GPU_TO_PAGE_CHANNEL = 'lab:gpu-to-page';
export const GPU_FROM_PAGE_CHANNEL = 'lab:gpu-from-page';

/**
 * Builds `window.lab` from a transport: `invoke` carries one call, `subscribe` the run events. The
 * preload passes ipcRenderer; the end-to-end tests pass a Playwright binding. Self-contained (nothing
 * outside it is used inside), so the tests can inject its source into a page.
 */
export function createLabApi(
  methods: readonly string[],
  invoke: (method: string, arg: unknown) => Promise<Envelope<unknown>>,
  subscribe: (listener: (message: RunMessage) => void) => () => void,
): LabApi {
  const api: Record<string, unknown> = { onRunEvent: subscribe };
  for (const method of methods) {
    api[method] = async (arg: unknown) => {
      const reply = await invoke(method, arg);
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    };
  }
  return api as LabApi;
}
