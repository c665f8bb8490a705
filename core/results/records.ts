// What the app keeps on disk, as the library and the run history list it: the record shapes, their
// schemas (stored files are validated when read) and the rules for the ids that name their files.
import { z } from 'zod';
import { isRedisUrl } from '../queue/redis-url.ts';
import { BACKENDS, type RunResult } from './events.ts';
import type { Preset } from '../preset/preset.ts';
import { APP_THEMES } from '../window/theme.ts';
import { MAX_ZOOM, MIN_ZOOM } from '../window/zoom.ts';

/** A run's id is its folder's name: letters, digits, '-' and '_' only, so it can never leave the runs folder. */
export const RUN_ID_PATTERN = /^[\w-]{1,120}$/;
export const RunId = z.string().max(120).regex(RUN_ID_PATTERN, 'expected a run id (letters, digits, - and _)');

/** "builtin:<file name>" or "user:<file name>" (the file's name without .json, never a path). */
const PRESET_ID_PATTERN = /^(builtin|user):[^/\\]{1,200}$/;
export const PresetId = z
  .string()
  .max('builtin:'.length + 200)
  .regex(PRESET_ID_PATTERN, 'expected a preset id (builtin:<name> or user:<name>)');

/** A preset in the library. */
export interface PresetEntry {
  /** Unique across built-in and user presets. */
  id: string;
  builtIn: boolean;
  file: string;
  /** The file's title: the preset's name, or its file name when it does not parse. */
  title: string;
  /** The validated preset, or null with `error` saying what is wrong with the file. */
  preset: Preset | null;
  error: string | null;
}

/** The longest note a run may carry. */
export const RUN_NOTE_MAX = 2000;

/** running; finished; stopped by the user; failed; interrupted (the app stopped while it ran). */
const RUN_STATUSES = ['running', 'finished', 'stopped', 'failed', 'interrupted'] as const;

/** A run in the history (its meta.json). */
export const RunRecordSchema = z.strictObject({
  id: RunId,
  /** The preset's name as run, or the name the user gave the run since. */
  name: z.string(),
  /** What the user noted about the run (runs of one preset share a name until told apart). */
  note: z.string().max(RUN_NOTE_MAX).optional(),
  /** The library preset it was started from (null: a preset never saved), and whether its unsaved edits were run. */
  presetId: z.string().nullable().default(null),
  edited: z.boolean().default(false),
  startedAt: z.string(),
  backend: z.enum(BACKENDS),
  models: z.int().nonnegative(),
  /** The models its result kept, once it has one: fewer than `models` where it ended early (stopped, interrupted). */
  modelsKept: z.int().nonnegative().optional(),
  /** Once it has a result: its models that reached the loss limit, k of the n not stopped (the summary's rate, all groups together). */
  reached: z.strictObject({ k: z.int().nonnegative(), n: z.int().nonnegative() }).optional(),
  /** Once it has a result: the lowest final validation loss of its models (null: none finite). */
  lossFinalBest: z.number().nullable().optional(),
  status: z.enum(RUN_STATUSES),
  /** The process that runs it, while it runs: a run whose process is gone was interrupted. */
  pid: z.int().positive().optional(),
  /** When that process started, where the system says (electron/storage/processes.ts): its id given to another process since is told apart. */
  processStart: z.string().max(40).optional(),
  /** The Redis queue it trained on (its URL, password hidden); null: this computer. */
  queue: z.string().nullable().default(null),
  /** What went wrong: a failed run's error, or why its folder could not be read. */
  error: z.string().nullable(),
});
export type RunRecord = z.output<typeof RunRecordSchema>;

/** What a run's record says of its result, for the history and the runs table without reading the result again. */
export function keptInRecord(result: RunResult): Pick<RunRecord, 'modelsKept' | 'reached' | 'lossFinalBest'> {
  const best = result.models.reduce((low, m) => (m.lossFinal !== null && m.lossFinal < low ? m.lossFinal : low), Infinity);
  return {
    modelsKept: result.models.length,
    reached: result.summary.reduce((all, s) => ({ k: all.k + s.reach.k, n: all.n + s.reach.n }), { k: 0, n: 0 }),
    lossFinalBest: Number.isFinite(best) ? best : null,
  };
}

/** A run as the history opens it. */
export interface StoredRun {
  record: RunRecord;
  preset: Preset;
  result: RunResult | null;
  log: string;
}

const RedisUrl = z.string().trim().max(500).refine(isRedisUrl, 'expected a redis:// URL with a host, e.g. redis://localhost:6379');

const Zoom = z.number().min(MIN_ZOOM).max(MAX_ZOOM);

/** The app's own settings (settings.json in its data folder). */
export const SettingsSchema = z.strictObject({
  /** The preset the editor had open last: it opens again on start. */
  lastPresetId: PresetId.nullable().default(null),
  /** The BullMQ queue's Redis, for runs sent to a worker pool (`lab worker`); null until the user gives one. */
  redisUrl: RedisUrl.nullable().default(null),
  /** The window's zoom (View → Zoom In/Out), kept for the next start; a value out of range reads as 100 %. */
  zoom: Zoom.default(1).catch(1),
  /** The app's theme (View → Theme): the system's, or light or dark whatever it is; a name unknown reads as the system's. */
  appTheme: z.enum(APP_THEMES).default('system').catch('system'),
});
export type Settings = z.output<typeof SettingsSchema>;
/** A change to some settings (the others stay as they are). */
export const SettingsPatchSchema = z.strictObject({
  lastPresetId: PresetId.nullable().optional(),
  redisUrl: RedisUrl.nullable().optional(),
  zoom: Zoom.optional(),
  appTheme: z.enum(APP_THEMES).optional(),
});
