// Array-job shards: a per-model run split into N fixed parts by model id, each trained anywhere (a Slurm
// array task, a Kubernetes indexed pod), then merged into exactly the result, .out log and summary of the
// whole run. Per-model streams make every model the same wherever it trains.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  currentResult,
  outcomesOfItsVersion,
  runResultOf,
  RunResultFields,
  type RunAbout,
  type ModelResult,
  type ModelRef,
  type RunEvent,
  type RunResult,
} from '../../core/results/events.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { canonical } from '../../core/preset/sweep.ts';
import { excerpt, fieldPath, listed, printable } from '../../core/preset/problems.ts';
import { modelsOf } from './experiment.ts';
import { OrderedLog } from './ordered-log.ts';

/** Shard `index` of `count`, counted from 1 as a user writes it ("3/16"). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Whether a model is in a shard: every count-th id. A sweep's cells are runs of consecutive ids, so each
 * shard gets an equal share (within one model) of every cell, and so of the expected cost.
 */
export function inShard(id: number, shard: Shard): boolean {
  return id % shard.count === shard.index - 1;
}

/** The preset a part was trained from, as a hash of its canonical JSON: parts of one run share it. */
export function presetHash(preset: Preset): string {
  return `sha256:${createHash('sha256').update(canonical(preset)).digest('hex')}`;
}

const ShardInfoSchema = z.strictObject({
  index: z.int().min(1),
  count: z.int().min(1),
  /** presetHash of the preset as run (after command-line overrides). */
  presetHash: z.string(),
  /** The ids of the models this shard trains. */
  models: z.array(z.int().nonnegative()),
  /** Each of those models' .out lines, in the same order. */
  log: z.array(z.array(z.string())),
});
export type ShardInfo = z.output<typeof ShardInfoSchema>;

/** A part file: the shard's result (its models only) and what merging needs. */
export const ShardPartSchema = RunResultFields.extend({ shard: ShardInfoSchema })
  .superRefine(outcomesOfItsVersion)
  .transform(currentResult);
export type ShardPart = RunResult & { shard: ShardInfo };

/** Each model's .out lines as a run logs them: a part (a shard, a queue job) carries them for the whole run's log. */
export class ModelLines {
  private readonly lines = new Map<number, string[]>();

  keep(event: RunEvent): void {
    if (event.type !== 'log' || event.model === null) return;
    const mine = this.lines.get(event.model);
    if (mine) mine.push(event.line);
    else this.lines.set(event.model, [event.line]);
  }

  of(ids: number[]): string[][] {
    return ids.map((id) => this.lines.get(id) ?? []);
  }
}

/** A shard's part: its result, and which shard of which preset it is, with its models (`ids`) and their lines. */
export function partOf(result: RunResult, shard: Shard, source: Preset, ids: number[], lines: ModelLines): ShardPart {
  return { ...result, shard: { ...shard, presetHash: presetHash(source), models: ids, log: lines.of(ids) } };
}

/** Parts that do not make one whole run: the first problem, in the user's words. */
export class MergeError extends Error {
  override name = 'MergeError';
}

/** The first place two values differ, as a field's path and each value there; null where they are alike. */
function firstDifference(a: unknown, b: unknown, path: PropertyKey[] = []): { path: string; a: unknown; b: unknown } | null {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const field = Array.isArray(a) ? Number(key) : key;
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, field]);
      if (found) return found;
    }
    return null;
  }
  return Object.is(a, b) ? null : { path: fieldPath(path), a, b };
}

/** Why two parts are not of one run: the first setting of theirs that differs (the step cap, a learning rate…). */
function differentRun(file: string, part: ShardPart, first: { file: string; part: ShardPart }): MergeError {
  const setting = firstDifference({ preset: part.preset, sweep: part.sweep }, { preset: first.part.preset, sweep: first.part.sweep });
  const differs = setting
    ? `trained with ${setting.path.replace(/^preset\./, '')} ${excerpt(setting.a)}, ${first.file} with ${excerpt(setting.b)}`
    : `from a different preset than ${first.file} (its hash differs)`;
  return new MergeError(`${file}: ${differs}: parts of one run only`);
}

/** Shard numbers as ranges: "2–5", "9", "12–1000". */
function rangesOf(numbers: number[]): string[] {
  const ranges: string[] = [];
  for (let k = 0; k < numbers.length;) {
    let end = k;
    while (end + 1 < numbers.length && numbers[end + 1] === numbers[end] + 1) end++;
    ranges.push(end === k ? String(numbers[k]) : `${numbers[k]}–${numbers[end]}`);
    k = end + 1;
  }
  return ranges;
}

/** The run's result and .out log from all its parts (files name the parts in errors); throws MergeError. */
export function mergeParts(parts: { file: string; part: ShardPart }[]): { result: RunResult; log: string } {
  if (!parts.length) throw new MergeError('no parts to merge');
  const [first] = parts;
  const { count } = first.part.shard;
  const given = new Map<number, string>(); // each shard's file
  for (const { file, part } of parts) {
    if (part.shard.presetHash !== first.part.shard.presetHash) throw differentRun(file, part, first);
    if (part.shard.count !== count) {
      throw new MergeError(`${file}: shard ${part.shard.index}/${part.shard.count}, but ${first.file} is one of ${count} shards`);
    }
    if (part.engine !== first.part.engine || part.backend !== first.part.backend) {
      throw new MergeError(
        `${file}: trained by “${part.engine}” on ${part.backend}, ${first.file} by “${first.part.engine}” on ${first.part.backend}`,
      );
    }
    // by its number, so a shard with no models given twice is refused as one with models is
    const twice = given.get(part.shard.index);
    if (twice !== undefined) throw new MergeError(`${twice} and ${file} are both shard ${part.shard.index}/${count}: give each shard once`);
    given.set(part.shard.index, file);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((i) => !given.has(i));
  if (missing.length === 1) throw new MergeError(`shard ${missing[0]}/${count} is missing`);
  if (missing.length) throw new MergeError(`shards ${listed(rangesOf(missing))} of ${count} are missing`);

  const refs = modelsOf(first.part.preset);
  const name = (id: number) => `model ${refs[id].group} #${refs[id].index}`;
  const from = new Map<number, string>();
  const models: ModelResult[] = [];
  const lines = new Map<number, string[]>();
  for (const { file, part } of parts) {
    part.shard.models.forEach((id, k) => lines.set(id, part.shard.log[k]));
    const own = new Set(part.shard.models);
    for (const m of part.models) {
      if (from.has(m.id)) throw new MergeError(`${name(m.id)} in ${from.get(m.id)} and ${file}`);
      if (!own.has(m.id)) throw new MergeError(`${file}: ${name(m.id)} is not in shard ${part.shard.index}/${count}`);
      from.set(m.id, file);
      models.push(m);
    }
    if (part.stopped) {
      const done = part.models.length;
      throw new MergeError(`${file}: shard ${part.shard.index}/${count} was stopped after ${done} of its ${own.size} models: run it again`);
    }
  }
  const lost = refs.find((m) => !from.has(m.id));
  if (lost) throw new MergeError(`${name(lost.id)} is in no part`);
  return wholeRun(first.part, models, lines);
}

/**
 * The result and .out log of a whole run from its parts' models and log lines, in the order and shape
 * the run itself writes them (`about`: any part's result, for what every part shares).
 */
function wholeRun(about: RunAbout, models: ModelResult[], lines: Map<number, string[]>): { result: RunResult; log: string } {
  const result = runResultOf(about, models, false);
  return { result, log: logOf(result.engine, modelsOf(about.preset), lines) };
}

/**
 * The whole run's .out: the engine line, then every model's lines in the seed's order; control characters a
 * part's lines hold (a hostile file's, or names from before they were refused) written as escapes.
 */
function logOf(engine: string, refs: ModelRef[], lines: Map<number, string[]>): string {
  const out = [printable(engine)];
  const log = new OrderedLog(refs, (line) => out.push(printable(line)));
  for (const m of refs) {
    for (const line of lines.get(m.id) ?? []) log.line(m.id, line);
    log.finished(m.id);
  }
  return `${out.join('\n')}\n`;
}
