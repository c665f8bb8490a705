// What the app keeps on disk, as the library and the run history list it: the record shapes, their
// schemas (stored files are validated when read) and the rules for the ids that name their files.
import { z } from 'zod';
import { BACKENDS, type RunResult } from './events.ts';
import type { Preset } from './preset.ts';

/** A run's id is its folder's name: letters, digits, '-' and '_' only, so it can never leave the runs folder. */
export const RUN_ID_PATTERN = /^[\w-]{1,120}$/;
export const RunId = z.string().regex(RUN_ID_PATTERN, 'expected a run id (letters, digits, - and _)');

/** "builtin:<file name>" or "user:<file name>" (the file's name without .json, never a path). */
export const PRESET_ID_PATTERN = /^(builtin|user):[^/\\]{1,200}$/;
export const PresetId = z.string().regex(PRESET_ID_PATTERN, 'expected a preset id (builtin:<name> or user:<name>)');

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

export const RUN_STATUSES = ['running', 'finished', 'stopped', 'failed'] as const;

/** A run in the history (its meta.json). */
export const RunRecordSchema = z.strictObject({
  id: RunId,
  name: z.string(),
  startedAt: z.string(),
  backend: z.enum(BACKENDS),
  models: z.int().nonnegative(),
  status: z.enum(RUN_STATUSES),
  /** What went wrong: a failed run's error, or why its folder could not be read. */
  error: z.string().nullable(),
});
export type RunRecord = z.output<typeof RunRecordSchema>;

/** A run as the history opens it. */
export interface StoredRun {
  record: RunRecord;
  preset: Preset;
  result: RunResult | null;
  log: string;
}
