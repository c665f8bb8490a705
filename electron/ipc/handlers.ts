// The main process's IPC handler table: plain Node (no electron import), so it is tested directly
// and bound to the renderer in end-to-end tests. Every argument is validated against the contract, and
// each handler is typed from it.
import { copyFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Backend, RunEvent } from '../../core/events.ts';
import type { Envelope, Method } from '../../core/ipc/api.ts';
import { ARGS, type Handler, type RunMessage, type RunRecord } from '../../core/ipc/contract.ts';
import { resolveBackend } from '../engine/backends.ts';
import { Run } from '../engine/run.ts';
import { chartDataOf, renderChart } from '../exports/charts.ts';
import { curvesCsv } from '../exports/csv.ts';
import { exportRunFolder } from '../exports/folder.ts';
import { readJson, writeJsonAtomic } from '../storage/files.ts';
import { LibraryError, PresetLibrary } from '../storage/presets.ts';
import { RunStore } from '../storage/runs.ts';

/** Native file dialogs (Electron's in the app; scripted in tests). Each returns null when cancelled. */
export interface Dialogs {
  openJson(title: string): Promise<string | null>;
  saveFile(title: string, suggestedName: string, extension: string): Promise<string | null>;
  chooseFolder(title: string): Promise<string | null>;
}

/** The system clipboard (Electron's in the app). */
export interface Clipboard {
  writePng(png: Buffer): Promise<void>;
  writeText(text: string): Promise<void>;
}

export interface HandlerOptions {
  /** Electron's userData in the app; any directory in the CLI and tests. */
  dataDir: string;
  builtInPresets: string;
  dialogs: Dialogs;
  clipboard: Clipboard;
  /** Receives run events for the renderer. */
  send(message: RunMessage): void;
  /** The bundled training worker in the built app (source runs use the TypeScript one). */
  workerUrl?: URL;
}

type Handlers = { [K in Method]: Handler<K> };

export interface HandlerTable {
  dispatch(method: string, arg: unknown): Promise<Envelope<unknown>>;
  /** Stops every run in progress (the window is closing). */
  stopAll(): void;
}

export function createHandlers(options: HandlerOptions): HandlerTable {
  const library = new PresetLibrary(options.builtInPresets, join(options.dataDir, 'presets'));
  const store = new RunStore(join(options.dataDir, 'runs'));
  const active = new Map<string, Run>();

  /** Runs a preset in the background, storing its log and result as they come. */
  async function launch(data: unknown, backend: Backend, workers: number): Promise<RunRecord> {
    const preset = library.validate(data);
    const record = await store.create(preset, resolveBackend(backend, preset));
    let writes: Promise<unknown> = Promise.resolve();
    /** The run's files are written in the order its events come. */
    const queue = <T>(work: () => Promise<T>): Promise<T> => {
      const next = writes.then(work);
      writes = next.catch(() => undefined);
      return next;
    };
    const run = new Run(preset, {
      backend: record.backend,
      workers,
      workerUrl: options.workerUrl,
      onEvent: (event: RunEvent) => {
        if (event.type === 'log') void queue(() => store.appendLog(record.id, [event.line]));
        options.send({ kind: 'event', runId: record.id, event });
      },
    });
    active.set(record.id, run);
    void run
      .start()
      .then(
        (result) => queue(() => store.finish(record, result)),
        (err: Error) => queue(() => store.finish(record, null, err.message)),
      )
      .catch((err: Error) => ({ ...record, status: 'failed' as const, error: `the run's files could not be stored: ${err.message}` }))
      .then((stored) => {
        active.delete(record.id);
        options.send({ kind: 'stored', runId: record.id, record: stored });
      });
    return record;
  }

  const handlers: Handlers = {
    machine: async () => ({ cores: availableParallelism() }),
    listPresets: () => library.list(),
    savePreset: ({ preset, id }) => library.save(preset, id),
    renamePreset: ({ id, name }) => library.rename(id, name),
    duplicatePreset: ({ id }) => library.duplicate(id),
    deletePreset: ({ id }) => library.remove(id),
    importPreset: async () => {
      const file = await options.dialogs.openJson('Import a preset');
      if (!file) return null;
      const read = await readJson(file);
      if ('error' in read) throw new LibraryError(`${file}: ${read.error}`);
      return library.save(read.data, undefined, file);
    },
    exportPreset: async ({ preset, suggestedName }) => {
      library.validate(preset);
      const file = await options.dialogs.saveFile('Export the preset', suggestedName, 'json');
      if (file) await writeJsonAtomic(file, preset);
      return file;
    },
    startRun: ({ preset, backend, workers }) => launch(preset, backend, workers),
    stopRun: async ({ runId }) => {
      active.get(runId)?.stop();
    },
    listRuns: () => store.list(),
    getRun: ({ id }) => store.get(id),
    deleteRun: async ({ id }) => {
      if (active.has(id)) throw new Error('the run is still going: stop it first');
      await store.remove(id);
    },
    exportLog: async ({ id }) => {
      const { record } = await store.get(id);
      const file = await options.dialogs.saveFile('Export the .out log', `${record.name}.out`, 'out');
      if (file) await copyFile(store.logFile(id), file);
      return file;
    },
    exportData: async ({ id, format }) => {
      const { record, result } = await finished(id);
      const file = await options.dialogs.saveFile(
        format === 'csv' ? 'Export the curves' : 'Export the result',
        `${record.name}.${format}`,
        format,
      );
      if (file) await writeFile(file, format === 'csv' ? curvesCsv(result) : `${JSON.stringify(result)}\n`);
      return file;
    },
    exportChart: async ({ id, kind, format, width, height, pixelRatio, to, ...options_ }) => {
      const { record, result } = await finished(id);
      const image = await renderChart(chartDataOf(result), { kind, format, width, height, pixelRatio, options: options_ });
      if (to === 'clipboard') {
        if (format === 'png') await options.clipboard.writePng(image);
        else await options.clipboard.writeText(image.toString('utf8'));
        return 'clipboard';
      }
      const file = await options.dialogs.saveFile('Export the chart', `${record.name} ${kind}.${format}`, format);
      if (file) await writeFile(file, image);
      return file;
    },
    exportAllCharts: async ({ id }) => {
      const { record, result } = await finished(id);
      const parent = await options.dialogs.chooseFolder('Export all charts into a folder');
      return parent ? exportRunFolder(result, `${record.name} ${record.startedAt.slice(0, 10)}`, store.logFile(id), parent) : null;
    },
  };

  /** A stored run with its result (exports need one). */
  async function finished(id: string) {
    const run = await store.get(id);
    if (!run.result) throw new Error(`run ${run.record.name} has no results to export yet`);
    return { ...run, result: run.result };
  }

  return {
    async dispatch(method, arg) {
      if (!Object.hasOwn(ARGS, method)) return { ok: false, error: `unknown method ${method}` };
      const parsed = ARGS[method as Method].safeParse(arg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, error: `${method}: ${issue.path.join('.') || 'argument'}: ${issue.message}` };
      }
      try {
        const handler = handlers[method as Method] as (arg: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    stopAll() {
      for (const run of active.values()) run.stop();
    },
  };
}
