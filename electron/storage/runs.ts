// Run history: every run is kept under <data>/runs/<id>/ — the preset as run (preset.json), the .out
// log written as the run goes (run.out), the JSON result with its curves (result.json) and what the
// history list shows (meta.json). A broken folder is listed with its error.
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backend, RunResult } from '../engine/events.ts';
import type { Preset } from '../engine/preset.ts';
import type { RunRecord, StoredRun } from '../ipc/contract.ts';
import { readJson, writeJsonAtomic } from './files.ts';

export class RunStore {
  constructor(private readonly dir: string) {}

  async create(preset: Preset, backend: Backend): Promise<RunRecord> {
    const startedAt = new Date().toISOString();
    const id = `${startedAt.replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;
    const record: RunRecord = {
      id, name: preset.name, startedAt, backend, models: preset.groups.reduce((n, g) => n + g.models, 0), status: 'running', error: null,
    };
    await mkdir(join(this.dir, id), { recursive: true });
    await writeJsonAtomic(join(this.dir, id, 'preset.json'), preset);
    await writeJsonAtomic(join(this.dir, id, 'meta.json'), record);
    return record;
  }

  /** Appends log lines as they come: an interrupted run keeps a valid partial log. */
  async appendLog(id: string, lines: string[]): Promise<void> {
    await appendFile(join(this.dir, id, 'run.out'), lines.map((l) => `${l}\n`).join(''));
  }

  async finish(record: RunRecord, result: RunResult | null, error: string | null = null): Promise<RunRecord> {
    const done: RunRecord = { ...record, status: error ? 'failed' : result?.stopped ? 'stopped' : 'finished', error };
    if (result) await writeJsonAtomic(join(this.dir, record.id, 'result.json'), result);
    await writeJsonAtomic(join(this.dir, record.id, 'meta.json'), done);
    return done;
  }

  async list(): Promise<RunRecord[]> {
    let ids: string[];
    try {
      ids = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return [];
    }
    const records = await Promise.all(ids.map(async (id): Promise<RunRecord> => {
      const meta = await readJson(join(this.dir, id, 'meta.json'));
      if ('error' in meta) return { id, name: id, startedAt: '', backend: 'auto', models: 0, status: 'failed', error: `meta.json: ${meta.error}` };
      return meta.data as RunRecord;
    }));
    return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  async get(id: string): Promise<StoredRun> {
    const folder = join(this.dir, id);
    const [meta, preset, result] = await Promise.all(['meta.json', 'preset.json', 'result.json'].map((f) => readJson(join(folder, f))));
    if ('error' in meta) throw new Error(`run ${id}: meta.json: ${meta.error}`);
    if ('error' in preset) throw new Error(`run ${id}: preset.json: ${preset.error}`);
    const log = await readFile(join(folder, 'run.out'), 'utf8').catch(() => '');
    return { record: meta.data as RunRecord, preset: preset.data as Preset, result: 'error' in result ? null : (result.data as RunResult), log };
  }

  async remove(id: string): Promise<void> {
    if (!/^[\w-]+$/.test(id)) throw new Error(`not a run id: ${id}`);
    await rm(join(this.dir, id), { recursive: true, force: true });
  }

  logFile(id: string): string {
    return join(this.dir, id, 'run.out');
  }
}
