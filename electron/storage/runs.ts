// Run history: every run is kept under <data>/runs/<id>/ — the preset as run (preset.json), what the
// history list shows (meta.json), the .out log written as the run goes (run.out), the engine line and
// plateaus once the run has started (started.json), each model's result as it finishes (models.jsonl),
// and at the end the whole JSON result (result.json) and its models' snapshots (snapshots.npz, NumPy's
// format: snapshots-file.ts). A run cut off by a crash keeps its log and its
// finished models: at the next start it is marked interrupted and opens with those. A broken folder is
// listed with its error; every file read back is validated before use.
import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ModelResultSchema,
  PlateausSchema,
  runResultOf,
  RunResultSchema,
  type Backend,
  type ModelResult,
  type RunResult,
} from '../../core/results/events.ts';
import { PresetSchema, type Preset } from '../../core/preset/preset.ts';
import { keptInRecord, RUN_ID_PATTERN, RunRecordSchema, type RunRecord, type StoredRun } from '../../core/results/records.ts';
import { expandSweep } from '../../core/preset/sweep.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import { snapshotsIn } from './snapshots-file.ts';
import { NpzError } from './npz.ts';
import {
  fileProblem,
  inside,
  readOwnFile,
  readValidJson,
  removeLeftovers,
  writeAtomic,
  writeJsonAtomic,
  writeJsonStreamed,
} from './files.ts';
import { stillRunning, thisProcess } from './processes.ts';
import { serial } from './serial.ts';

/** Every file of a run folder is Minima Lab's own: a link there was planted, and is not read (readOwnFile). */
const OWN = { own: true };

/** The run's .out log, written as the run goes. */
const LOG_FILE = 'run.out';
/** Its models' snapshots, written at the end (NumPy's .npz: snapshots-file.ts). */
const SNAPSHOTS_FILE = 'snapshots.npz';

const StartedSchema = z.strictObject({ engine: z.string(), plateaus: PlateausSchema });
export type Started = z.output<typeof StartedSchema>;

/** One line of JSON lines, or null when it is not JSON (the last line of a file a crash cut off). */
function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

export class RunStore {
  /** meta.json's changes, one at a time and each from the file as it is: a rename as the run ends keeps both. */
  private readonly metaChanges = serial();

  constructor(private readonly dir: string) {}

  /** A new run's folder: `preset` as the user ran it (a sweep unexpanded), `models` the number it trains. */
  async create(
    preset: Preset,
    backend: Backend,
    models: number,
    source: Pick<RunRecord, 'presetId' | 'edited' | 'queue'>,
  ): Promise<RunRecord> {
    const startedAt = new Date().toISOString();
    const id = `${startedAt.replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
    const owner = thisProcess();
    const record: RunRecord = {
      id,
      name: preset.name,
      ...source,
      startedAt,
      backend,
      models,
      status: 'running',
      pid: owner.pid,
      ...(owner.start !== undefined && { processStart: owner.start }),
      error: null,
    };
    const folder = this.folder(id);
    await mkdir(folder, { recursive: true });
    await writeJsonAtomic(join(folder, 'preset.json'), preset);
    await writeJsonAtomic(join(folder, 'meta.json'), record);
    return record;
  }

  /** Appends log lines as they come: an interrupted run keeps a valid partial log. */
  async appendLog(id: string, lines: string[]): Promise<void> {
    await appendFile(join(this.folder(id), LOG_FILE), lines.map((l) => `${l}\n`).join(''));
  }

  /** What the run's first worker reported: the engine line and the plateaus (for rebuilding an interrupted run's result). */
  async started(id: string, started: Started): Promise<void> {
    await writeJsonAtomic(join(this.folder(id), 'started.json'), started);
  }

  /** Keeps a finished model's result at once: a crash later loses none of the models done. */
  async appendModel(id: string, result: ModelResult): Promise<void> {
    await appendFile(join(this.folder(id), 'models.jsonl'), `${JSON.stringify(result)}\n`);
  }

  /** `snapshots`: its models' snapshots as .npz (snapshots.npz), where any model kept them. */
  async finish(record: RunRecord, result: RunResult | null, error: string | null = null, snapshots?: Uint8Array): Promise<RunRecord> {
    const status = error ? 'failed' : result?.stopped ? 'stopped' : 'finished';
    const folder = this.folder(record.id);
    if (result) await writeJsonStreamed(join(folder, 'result.json'), result, 'models');
    if (snapshots) await writeAtomic(this.snapshotsFile(record.id), snapshots); // a failure here loses no result
    return this.metaChanges(async () => {
      const now = await this.record(record.id).catch(() => record); // with the name and note the user gave it meanwhile
      const done: RunRecord = { ...now, status, ...(result && keptInRecord(result)), error };
      await writeJsonAtomic(join(folder, 'meta.json'), done);
      return done;
    });
  }

  /** Renames a run or changes its note (an empty note clears it), atomically. */
  async update(id: string, change: Pick<Partial<RunRecord>, 'name' | 'note'>): Promise<RunRecord> {
    return this.metaChanges(async () => {
      const { note, ...record }: RunRecord = { ...(await this.record(id)), ...change };
      const changed: RunRecord = note ? { ...record, note } : record;
      await writeJsonAtomic(join(this.folder(id), 'meta.json'), changed);
      return changed;
    });
  }

  /**
   * At start-up: runs left 'running' by a process that is gone (a crash, a kill; its id given to another
   * process since does not keep it: processes.ts) become 'interrupted',
   * with a result rebuilt from the models that finished; files a crash cut off are removed.
   */
  async recover(): Promise<void> {
    await removeLeftovers(this.dir);
    for (const record of await this.list()) {
      const folder = this.folder(record.id);
      await removeLeftovers(folder);
      const owner = record.pid === undefined ? null : { pid: record.pid, start: record.processStart };
      if (record.status !== 'running' || (owner && stillRunning(owner))) continue;
      const partial = await this.partialResult(record);
      if (partial) await writeJsonStreamed(join(folder, 'result.json'), partial, 'models');
      const done = partial?.models.length ?? 0;
      const error = `Minima Lab stopped while this run was training; its .out log and the ${done} model${done === 1 ? '' : 's'} that finished are kept.`;
      await writeJsonAtomic(join(folder, 'meta.json'), { ...record, status: 'interrupted', ...(partial && keptInRecord(partial)), error });
    }
  }

  async list(): Promise<RunRecord[]> {
    let ids: string[];
    try {
      ids = (await readdir(this.dir, { withFileTypes: true }))
        .filter((d) => d.isDirectory() && RUN_ID_PATTERN.test(d.name))
        .map((d) => d.name);
    } catch {
      return [];
    }
    const records = await Promise.all(
      ids.map(async (id): Promise<RunRecord> => {
        const meta = await readValidJson(join(this.dir, id, 'meta.json'), RunRecordSchema, OWN);
        if ('error' in meta) {
          const unknown = { name: id, presetId: null, edited: false, startedAt: '', backend: 'auto' as const, models: 0, queue: null };
          return { id, ...unknown, status: 'failed', error: `meta.json: ${meta.error}` };
        }
        return { ...meta.data, id };
      }),
    );
    return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  /** A run's record (its meta.json). */
  async record(id: string): Promise<RunRecord> {
    const meta = await readValidJson(join(this.folder(id), 'meta.json'), RunRecordSchema, OWN);
    if ('error' in meta) throw new Error(`run ${id}: meta.json: ${meta.error}`);
    return { ...meta.data, id };
  }

  /** A run's .out log as written so far ('' before its first line); read on its own, so a damaged result.json does not keep it. */
  async log(id: string): Promise<string> {
    return readOwnFile(join(this.folder(id), LOG_FILE)).then(
      (bytes) => bytes.toString('utf8'),
      () => '',
    );
  }

  /** The preset a run was started from, as the user ran it (preset.json). */
  async preset(id: string): Promise<Preset> {
    const preset = await readValidJson(join(this.folder(id), 'preset.json'), PresetSchema, OWN);
    if ('error' in preset) throw new Error(`run ${id}: preset.json: ${preset.error}`);
    return preset.data;
  }

  async get(id: string): Promise<StoredRun> {
    const record = await this.record(id);
    const preset = await this.preset(id);
    const result = await readValidJson(join(this.folder(id), 'result.json'), RunResultSchema, OWN);
    const missing = 'error' in result && result.missing; // a run that ended before any result
    if ('error' in result && !missing) throw new Error(`run ${id}: result.json: ${result.error}`);
    return { record, preset, result: 'error' in result ? null : result.data, log: await this.log(id) };
  }

  /**
   * The snapshots of the models named (GROUP#INDEX) from the run's snapshots.npz, by name: only theirs are
   * unpacked. Null where the run kept none (no such file).
   */
  async snapshots(id: string, names: readonly string[]): Promise<Map<string, Snapshots> | null> {
    const bytes = await readOwnFile(join(this.folder(id), SNAPSHOTS_FILE)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw new Error(`run ${id}: ${SNAPSHOTS_FILE}: cannot read the file: ${fileProblem(err)}`, { cause: err });
    });
    if (!bytes) return null;
    try {
      return snapshotsIn(bytes, names);
    } catch (err) {
      if (err instanceof NpzError) throw new Error(`run ${id}: ${SNAPSHOTS_FILE}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.folder(id), { recursive: true, force: true });
  }

  /** An interrupted run's result from what it kept: its finished models (a line cut off by the crash is skipped). */
  private async partialResult(record: RunRecord): Promise<RunResult | null> {
    const folder = this.folder(record.id);
    const [preset, started] = await Promise.all([
      readValidJson(join(folder, 'preset.json'), PresetSchema, OWN),
      readValidJson(join(folder, 'started.json'), StartedSchema, OWN),
    ]);
    if ('error' in preset || 'error' in started) return null;
    const lines = (await readOwnFile(join(folder, 'models.jsonl')).catch(() => '')).toString().split('\n');
    const models = lines.flatMap((line) => {
      const parsed = ModelResultSchema.safeParse(parseLine(line));
      return parsed.success ? [parsed.data] : [];
    });
    const { preset: asRun, sweep } = expandSweep(preset.data);
    const { engine, plateaus } = started.data;
    return runResultOf({ engine, backend: record.backend, preset: asRun, sweep, plateaus }, models, true);
  }

  /** Where the run's models' snapshots are kept (absent where none kept any). */
  snapshotsFile(id: string): string {
    return join(this.folder(id), 'snapshots.npz');
  }

  /** The run's folder; an id that is not a run id never becomes a path. */
  private folder(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`not a run id: ${JSON.stringify(id.slice(0, 80))}`);
    return inside(this.dir, id);
  }
}
