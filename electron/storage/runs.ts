// Run history: every run is kept under <data>/runs/<id>/ — the preset as run (preset.json), the .out
// log written as the run goes (run.out), the JSON result with its curves (result.json) and what the
// history list shows (meta.json). A broken folder is listed with its error; every file read back is
// validated before use.
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { RunResultSchema, type Backend, type RunResult } from '../../core/events.ts';
import { PresetSchema, type Preset } from '../../core/preset.ts';
import { RUN_ID_PATTERN, RunRecordSchema, type RunRecord, type StoredRun } from '../../core/records.ts';
import { inside, readJson, writeJsonAtomic } from './files.ts';

/** A run's file, read and validated; what is wrong with it otherwise. */
async function readValid<T extends z.ZodType>(file: string, schema: T): Promise<{ data: z.output<T> } | { error: string }> {
  const read = await readJson(file);
  if ('error' in read) return read;
  const parsed = schema.safeParse(read.data);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  return { error: `${issue.path.join('.') || 'the file'}: ${issue.message}` };
}

export class RunStore {
  constructor(private readonly dir: string) {}

  async create(preset: Preset, backend: Backend): Promise<RunRecord> {
    const startedAt = new Date().toISOString();
    const id = `${startedAt.replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
    const record: RunRecord = {
      id,
      name: preset.name,
      startedAt,
      backend,
      models: preset.groups.reduce((n, g) => n + g.models, 0),
      status: 'running',
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
    await appendFile(this.logFile(id), lines.map((l) => `${l}\n`).join(''));
  }

  async finish(record: RunRecord, result: RunResult | null, error: string | null = null): Promise<RunRecord> {
    const done: RunRecord = { ...record, status: error ? 'failed' : result?.stopped ? 'stopped' : 'finished', error };
    const folder = this.folder(record.id);
    if (result) await writeJsonAtomic(join(folder, 'result.json'), result);
    await writeJsonAtomic(join(folder, 'meta.json'), done);
    return done;
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
        const meta = await readValid(join(this.dir, id, 'meta.json'), RunRecordSchema);
        if ('error' in meta)
          return { id, name: id, startedAt: '', backend: 'auto', models: 0, status: 'failed', error: `meta.json: ${meta.error}` };
        return { ...meta.data, id };
      }),
    );
    return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  async get(id: string): Promise<StoredRun> {
    const folder = this.folder(id);
    const meta = await readValid(join(folder, 'meta.json'), RunRecordSchema);
    if ('error' in meta) throw new Error(`run ${id}: meta.json: ${meta.error}`);
    const preset = await readValid(join(folder, 'preset.json'), PresetSchema);
    if ('error' in preset) throw new Error(`run ${id}: preset.json: ${preset.error}`);
    const result = await readValid(join(folder, 'result.json'), RunResultSchema);
    const missing = 'error' in result && result.error.includes('(ENOENT)'); // a run that ended before any result
    if ('error' in result && !missing) throw new Error(`run ${id}: result.json: ${result.error}`);
    const log = await readFile(join(folder, 'run.out'), 'utf8').catch(() => '');
    return { record: { ...meta.data, id }, preset: preset.data, result: 'error' in result ? null : result.data, log };
  }

  async remove(id: string): Promise<void> {
    await rm(this.folder(id), { recursive: true, force: true });
  }

  logFile(id: string): string {
    return join(this.folder(id), 'run.out');
  }

  /** The run's folder; an id that is not a run id never becomes a path. */
  private folder(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new Error(`not a run id: ${JSON.stringify(id.slice(0, 80))}`);
    return inside(this.dir, id);
  }
}
