// The one contract between the main process and the renderer: the API the renderer sees as
// `window.lab`, the runtime schema of every argument (main validates each one before use), what each
// call resolves to, and the run messages. The wire details (channels, envelope) are in api.ts.
import { z } from 'zod';
import { ChartPictureSchema, drawnPixels, ExportOptionsSchema, MAX_EXPORT_PIXELS } from '../charts/request.ts';
import { LIMITS, MAX_WORKERS, type Preset } from '../preset/preset.ts';
import { controlProblem } from '../preset/problems.ts';
import { BACKENDS, type RunEvent, type RunResult } from '../results/events.ts';
import { DIRECTIONS, LANDSCAPE_GRID, type Landscape } from '../results/landscape.ts';
import type { Snapshots } from '../results/snapshots.ts';
import {
  PresetId,
  RUN_NOTE_MAX,
  RunId,
  SettingsPatchSchema,
  type PresetEntry,
  type RunRecord,
  type Settings,
  type StoredRun,
} from '../results/records.ts';
import type { Method } from './api.ts';

export type { PresetEntry, RunRecord, Settings, StoredRun } from '../results/records.ts';
export { METHODS, type Method, type Envelope } from './api.ts';

export interface MachineInfo {
  cores: number;
}

/**
 * A run's event as the window gets it: `finished` without the models, which came one by one
 * (`modelFinished`) — a sweep's tens of thousands of models are not sent twice.
 */
export type WindowEvent = Exclude<RunEvent, { type: 'finished' }> | { type: 'finished'; result: Omit<RunResult, 'models'> };

/**
 * What main pushes about a run: its events as they come, what a queue run has to say while it waits (no
 * worker has taken a job, Redis lost and back), then its record once its files are stored.
 */
export type RunMessage =
  | { kind: 'event'; runId: string; event: WindowEvent }
  | { kind: 'notice'; runId: string; text: string }
  | { kind: 'stored'; runId: string; record: RunRecord };

/** An event as the window gets it. */
export function windowEvent(event: RunEvent): WindowEvent {
  if (event.type !== 'finished') return event;
  const { models: _sentBefore, ...result } = event.result;
  return { type: 'finished', result };
}

const runId = z.strictObject({ id: RunId });

/** A run's new name: no control characters, as a new preset's names (core/preset/parse.ts). */
const RunName = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.name)
  .superRefine((name, ctx) => {
    const problem = controlProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Which plane around which model (GROUP#INDEX): the `landscape` call's, and the landscape and slice charts' export. */
const LandscapeRequestSchema = z.strictObject({
  model: z.string().max(220).regex(/#\d+$/, 'expected GROUP#INDEX (e.g. modelsB#3)'),
  step: z.int().nonnegative().optional(),
  directions: z.enum(DIRECTIONS),
  grid: z
    .int()
    .min(LANDSCAPE_GRID.min)
    .max(LANDSCAPE_GRID.max)
    .refine((n) => n % 2 === 1, "expected an odd number (the model's point is the centre one)")
    .default(LANDSCAPE_GRID.default),
  span: z.number().positive().max(1e6).optional(),
  seed: z
    .int()
    .nonnegative()
    .max(2 ** 53 - 1)
    .default(0),
});

/** The data a run exports: curves (CSV), the JSON result, the per-group table (CSV), one JSON line per model. */
export const DATA_FORMATS = ['csv', 'json', 'table', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Where a run trains: on this computer, or on the worker pool behind the Redis queue in the settings. */
export const RUN_PLACES = ['local', 'queue'] as const;
export type RunPlace = (typeof RUN_PLACES)[number];

/**
 * A run's snapshots of the models asked for, by name (a model that kept none is absent); `none` says why
 * the run kept none at all (no snapshots.npz in its folder), else null.
 */
export interface RunSnapshots {
  models: Record<string, Snapshots>;
  none: string | null;
}

/** An animation's file formats: GIF everywhere, WebM (VP9) and MP4 (H.264) where the window's WebCodecs encodes them. */
export const ANIMATION_FORMATS = ['gif', 'webm', 'mp4'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

/** The largest animation file main writes: a slide's minutes of 4K GIF, with room. */
export const MAX_ANIMATION_BYTES = 1024 * 1024 * 1024;

/** How each format's file starts (its bytes at `at`): main writes only what is the format it is named. */
const ANIMATION_MAGIC: Record<AnimationFormat, { at: number; bytes: number[]; says: string }> = {
  gif: { at: 0, bytes: [...'GIF89a'].map((c) => c.charCodeAt(0)), says: 'a GIF (starting GIF89a)' },
  webm: { at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3], says: 'a WebM file (starting with EBML’s 1A 45 DF A3)' },
  mp4: { at: 4, bytes: [...'ftyp'].map((c) => c.charCodeAt(0)), says: 'an MP4 file (its first box ftyp)' },
};
const startsAs = (format: AnimationFormat, bytes: Uint8Array) =>
  ANIMATION_MAGIC[format].bytes.every((b, k) => bytes[ANIMATION_MAGIC[format].at + k] === b);

/** Runs compared side by side at most. */
export const MAX_COMPARED = 8;

/** Every method's argument schema; `z.undefined()` for methods that take none. */
export const ARGS = {
  machine: z.undefined(),
  listPresets: z.undefined(),
  /** Saves over `id` (a user preset) or, without it, as a new user preset. */
  savePreset: z.strictObject({ preset: z.unknown(), id: PresetId.optional() }),
  renamePreset: z.strictObject({ id: PresetId, name: z.string().trim().min(1).max(LIMITS.name) }),
  duplicatePreset: z.strictObject({ id: PresetId }),
  deletePreset: z.strictObject({ id: PresetId }),
  /** Opens a file dialog and adds the chosen .json file as a user preset; null when cancelled. */
  importPreset: z.undefined(),
  /** Opens a save dialog and writes the preset there; the path, or null when cancelled. */
  exportPreset: z.strictObject({ preset: z.unknown(), suggestedName: z.string().min(1).max(LIMITS.name) }),
  /**
   * The preset as a standalone PyTorch script that trains it as `lab run` does (`lab export torch`): to the
   * clipboard, or to a file the user picks; 'clipboard', the path, or null when cancelled.
   */
  exportTorchScript: z.strictObject({ preset: z.unknown(), to: z.enum(['file', 'clipboard']) }),
  /**
   * Starts a run of `preset` on this computer (with `backend` and `workers`) or on the Redis queue in the
   * settings (`where: 'queue'`, trained by `lab worker`s); `presetId` and `edited` say which library preset it
   * came from, and whether from unsaved edits.
   */
  startRun: z.strictObject({
    preset: z.unknown(),
    backend: z.enum(BACKENDS),
    workers: z.int().min(1).max(MAX_WORKERS),
    where: z.enum(RUN_PLACES).default('local'),
    presetId: PresetId.nullable().default(null),
    edited: z.boolean().default(false),
  }),
  stopRun: z.strictObject({ runId: RunId }),
  listRuns: z.undefined(),
  getRun: runId,
  /** The preset a run was started from, as the user ran it (a sweep unexpanded): the runs table compares two. */
  getRunPreset: runId,
  /** The snapshots of some of a run's models (named GROUP#INDEX, as modelName names them), for the timeline: only theirs are read. */
  getSnapshots: z.strictObject({
    id: RunId,
    models: z.array(z.string().min(1).max(1000)).max(LIMITS.models),
  }),
  deleteRun: runId,
  /** Renames a run, or gives it a note (an empty one clears it); kept in its record. */
  updateRun: z
    .strictObject({
      id: RunId,
      name: RunName.optional(),
      note: z.string().trim().max(RUN_NOTE_MAX).optional(),
    })
    .refine((change) => change.name !== undefined || change.note !== undefined, 'expected a name or a note to change'),
  /** Opens a save dialog and copies the run's .out log there; the path, or null when cancelled. */
  exportLog: runId,
  /**
   * Saves the run's curves (csv), its whole JSON result (json), its per-group (a sweep's per-cell) table
   * (table: CSV) or one JSON line per model (jsonl); the path, or null when cancelled.
   */
  exportData: z.strictObject({ id: RunId, format: z.enum(DATA_FORMATS) }),
  /**
   * Draws one chart of a stored run for a slide, to a file (save dialog) or the clipboard: with other
   * runs' groups beside its own (named as runLabels names them), and of some of the groups only; the
   * landscape and slice charts of the plane `landscape` asks for (computed again: milliseconds).
   */
  exportChart: z
    .strictObject({
      id: RunId,
      groups: z.array(z.string().max(200)).max(LIMITS.groups).optional(),
      compareWith: z
        .array(RunId)
        .max(MAX_COMPARED - 1)
        .optional(),
      ...ChartPictureSchema.shape,
      ...ExportOptionsSchema.shape,
      landscape: LandscapeRequestSchema.optional(),
      to: z.enum(['file', 'clipboard']),
    })
    .refine((c) => drawnPixels(c) <= MAX_EXPORT_PIXELS, {
      message: `at most ${MAX_EXPORT_PIXELS.toLocaleString('en-US')} pixels (3840 × 2160 at 2×): a smaller size or density`,
      path: ['width'],
    })
    .refine((c) => (c.kind === 'landscape' || c.kind === 'slice') === (c.landscape !== undefined), {
      message: 'the landscape and slice charts, and only they, take a landscape (which model, which directions)',
      path: ['landscape'],
    }),
  /** Writes every chart (PNG and SVG), the CSV, the JSON result and the log into a folder the user picks. */
  exportAllCharts: runId,
  /**
   * Saves an animation of the run that the window drew and encoded (GIF, WebM or MP4) where the user picks;
   * the path, or null when cancelled. The bytes travel as a Uint8Array: Electron's IPC carries it by
   * structured clone, and the e2e harness's Playwright binding (1.46 on) as a typed array too (base64 on
   * its wire), so one argument shape serves both.
   */
  saveAnimation: z
    .strictObject({
      id: RunId,
      format: z.enum(ANIMATION_FORMATS),
      bytes: z
        .custom<Uint8Array>((b) => b instanceof Uint8Array, { message: 'must be the file’s bytes (a Uint8Array)' })
        .refine((b) => b.byteLength <= MAX_ANIMATION_BYTES, {
          message: `is larger than ${MAX_ANIMATION_BYTES / 1024 / 1024} MiB: a shorter, smaller or slower animation`,
        }),
    })
    .superRefine((a, ctx) => {
      if (!startsAs(a.format, a.bytes))
        ctx.addIssue({ code: 'custom', path: ['bytes'], message: `are not ${ANIMATION_MAGIC[a.format].says}` });
    }),
  getSettings: z.undefined(),
  /** Changes the given settings; the others stay. */
  updateSettings: SettingsPatchSchema,
  /**
   * The loss landscape around one model of a stored run, at one of its snapshots (default its last), from
   * the run folder's snapshots; computed in a worker thread. As `lab landscape` takes it.
   */
  landscape: z.strictObject({ id: RunId, ...LandscapeRequestSchema.shape }),
} as const satisfies Record<Method, z.ZodType>;

/** A method's argument as the handler receives it (validated, defaults filled in). */
export type Args<K extends Method> = z.output<(typeof ARGS)[K]>;
/** A method's argument as the renderer passes it. */
type Input<K extends Method> = z.input<(typeof ARGS)[K]>;

/** What each method resolves to. */
export interface Results {
  machine: MachineInfo;
  listPresets: PresetEntry[];
  savePreset: PresetEntry;
  renamePreset: PresetEntry;
  duplicatePreset: PresetEntry;
  deletePreset: void;
  importPreset: PresetEntry | null;
  exportPreset: string | null;
  exportTorchScript: string | null;
  startRun: RunRecord;
  stopRun: void;
  listRuns: RunRecord[];
  getRun: StoredRun;
  getRunPreset: Preset;
  getSnapshots: RunSnapshots;
  deleteRun: void;
  updateRun: RunRecord;
  exportLog: string | null;
  exportData: string | null;
  /** The file written, 'clipboard', or null when cancelled. */
  exportChart: string | null;
  exportAllCharts: string | null;
  saveAnimation: string | null;
  getSettings: Settings;
  updateSettings: Settings;
  landscape: Landscape;
}

/** A method's signature: no parameter for methods that take none. */
export type Call<K extends Method> = Input<K> extends undefined ? () => Promise<Results[K]> : (arg: Input<K>) => Promise<Results[K]>;
/** The main side's implementation of a method: the validated argument in, the result out. */
export type Handler<K extends Method> = Args<K> extends undefined ? () => Promise<Results[K]> : (arg: Args<K>) => Promise<Results[K]>;

/** `window.lab`: one promise-returning function per method, and a run event subscription. */
export type LabApi = { [K in Method]: Call<K> } & {
  onRunEvent(listener: (message: RunMessage) => void): () => void;
};
