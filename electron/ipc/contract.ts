// The one contract between the main process and the renderer: the API the renderer sees as
// `window.lab`, the runtime schema of every argument (main validates each one before use), what each
// call resolves to, and the run messages. The wire details (channels, envelope) are in api.ts.
import { z } from 'zod';
import type { Method } from './api.ts';
import { BACKENDS, type Backend, type RunEvent, type RunResult } from '../engine/events.ts';
import type { Preset } from '../engine/preset.ts';

export type { RunEvent, RunResult, Preset };
export { METHODS, type Method, type Envelope } from './api.ts';

/** A preset in the library. */
export interface PresetEntry {
  /** "builtin:<name>" or "user:<name>": unique across both. */
  id: string;
  builtIn: boolean;
  file: string;
  /** The file's title: the preset's name, or its file name when it does not parse. */
  title: string;
  /** The validated preset, or null with `error` saying what is wrong with the file. */
  preset: Preset | null;
  error: string | null;
}

/** A run in the history. */
export interface RunRecord {
  id: string;
  name: string;
  startedAt: string;
  backend: Backend;
  models: number;
  status: 'running' | 'finished' | 'stopped' | 'failed';
  /** What went wrong: a failed run's error, or why its folder could not be read. */
  error: string | null;
}

export interface StoredRun {
  record: RunRecord;
  preset: Preset;
  result: RunResult | null;
  log: string;
}

export interface MachineInfo {
  cores: number;
  backends: readonly string[];
}

/** What main pushes about a run: its events as they come, then its record once its files are stored. */
export type RunMessage =
  | { kind: 'event'; runId: string; event: RunEvent }
  | { kind: 'stored'; runId: string; record: RunRecord };

/** Every method's argument schema; `z.undefined()` for methods that take none. */
export const ARGS = {
  machine: z.undefined(),
  listPresets: z.undefined(),
  /** Saves over `id` (a user preset) or, without it, as a new user preset. */
  savePreset: z.strictObject({ preset: z.unknown(), id: z.string().min(1).optional() }),
  renamePreset: z.strictObject({ id: z.string().min(1), name: z.string().trim().min(1).max(200) }),
  duplicatePreset: z.strictObject({ id: z.string().min(1) }),
  deletePreset: z.strictObject({ id: z.string().min(1) }),
  /** Opens a file dialog and adds the chosen .json file as a user preset; null when cancelled. */
  importPreset: z.undefined(),
  /** Opens a save dialog and writes the preset there; the path, or null when cancelled. */
  exportPreset: z.strictObject({ preset: z.unknown(), suggestedName: z.string().min(1).max(200) }),
  startRun: z.strictObject({ preset: z.unknown(), backend: z.enum(BACKENDS), workers: z.int().min(1).max(256) }),
  stopRun: z.strictObject({ runId: z.string().min(1) }),
  listRuns: z.undefined(),
  getRun: z.strictObject({ id: z.string().min(1) }),
  deleteRun: z.strictObject({ id: z.string().min(1) }),
  /** Opens a save dialog and copies the run's .out log there; the path, or null when cancelled. */
  exportLog: z.strictObject({ id: z.string().min(1) }),
  /** Saves the run's curves as CSV or its whole JSON result; the path, or null when cancelled. */
  exportData: z.strictObject({ id: z.string().min(1), format: z.enum(['csv', 'json']) }),
  /** Draws one chart of a stored run for a slide, to a file (save dialog) or the clipboard. */
  exportChart: z.strictObject({
    id: z.string().min(1),
    kind: z.enum(['loss', 'fit', 'lr', 'finals']),
    format: z.enum(['png', 'svg']),
    width: z.int().min(64).max(8192),
    height: z.int().min(64).max(8192),
    pixelRatio: z.int().min(1).max(4),
    theme: z.enum(['light', 'dark', 'transparent']),
    title: z.string().max(300).optional(),
    xLabel: z.string().max(200).optional(),
    yLabel: z.string().max(200).optional(),
    legend: z.boolean(),
    showTrain: z.boolean().optional(),
    fitModels: z.array(z.int().nonnegative()).max(10000).optional(),
    to: z.enum(['file', 'clipboard']),
  }),
  /** Writes every chart (PNG and SVG), the CSV, the JSON result and the log into a folder the user picks. */
  exportAllCharts: z.strictObject({ id: z.string().min(1) }),
} as const satisfies Record<Method, z.ZodType>;

type Arg<K extends keyof typeof ARGS> = z.input<(typeof ARGS)[K]>;

/** What each method resolves to. */
export interface Results {
  machine: MachineInfo;
  listPresets: PresetEntry[];
  savePreset: PresetEntry;
  renamePreset: PresetEntry;
  duplicatePreset: PresetEntry;
  deletePreset: null;
  importPreset: PresetEntry | null;
  exportPreset: string | null;
  startRun: RunRecord;
  stopRun: null;
  listRuns: RunRecord[];
  getRun: StoredRun;
  deleteRun: null;
  exportLog: string | null;
  exportData: string | null;
  /** The file written, 'clipboard', or null when cancelled. */
  exportChart: string | null;
  exportAllCharts: string | null;
}

/** `window.lab`: one promise-returning function per method, and a run event subscription. */
export type LabApi = { [K in Method]: (arg: Arg<K>) => Promise<Results[K]> } & {
  onRunEvent(listener: (message: RunMessage) => void): () => void;
};
