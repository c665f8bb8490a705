// The main process's IPC handler table: plain Node (no electron import), so it is tested directly
// and bound to the renderer in end-to-end tests. Every argument is validated against the contract, and
// each handler is typed from it.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Backend, RunEvent, RunResult } from '../../core/results/events.ts';
import type { Envelope, Method } from '../../core/ipc/api.ts';
import { ARGS, windowEvent, type Args, type DataFormat, type Handler, type RunMessage, type RunRecord } from '../../core/ipc/contract.ts';
import { combine, runLabels } from '../../core/charts/combine.ts';
import { atStep, chartDataOf, replayedModels, snapshotsById } from '../../core/charts/data.ts';
import { Run, type RunOptions } from '../engine/run.ts';
import { landscapeInWorker } from '../engine/landscape-thread.ts';
import type { Landscape } from '../../core/results/landscape.ts';
import { webgpuWorthTrying } from '../engine/backends.ts';
import { planLocalRun, planQueueRun, type LocalChoices } from '../engine/plan.ts';
import type { GpuPage, GpuPageStatus } from '../../core/gpu/remote.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { parseAndExpand, parsePreset } from '../../core/preset/parse.ts';
import { firstProblem, printable } from '../../core/preset/problems.ts';
import { shownUrl } from '../../core/queue/redis-url.ts';
import { within } from '../within.ts';
import { QueueRun } from '../queue/queue-run.ts';
import { renderChart } from '../exports/charts.ts';
import { curvesCsv } from '../exports/csv.ts';
import { snapshotsNpz } from '../storage/snapshots-file.ts';
import { modelName, NO_SNAPSHOTS } from '../../core/results/snapshots.ts';
import { exportRunFolder } from '../exports/folder.ts';
import { torchScript } from '../exports/torch-script.ts';
import { modelsJsonl, summaryCsv } from '../exports/tables.ts';
import { readJson, slug, writeAtomic, writeJsonAtomic, writeJsonStreamed } from '../storage/files.ts';
import { PresetLibrary } from '../storage/presets.ts';
import { RunStore } from '../storage/runs.ts';
import { serial } from '../storage/serial.ts';
import { SettingsStore } from '../storage/settings.ts';

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
  /** Electron's userData in the app; a temporary directory in tests. */
  dataDir: string;
  builtInPresets: string;
  dialogs: Dialogs;
  clipboard: Clipboard;
  /** Receives run events for the renderer. */
  send(message: RunMessage): void;
  /** The bundled training worker in the built app (source runs use the TypeScript one). */
  workerUrl?: URL;
  /** The bundled loss-landscape worker in the built app (source runs use the TypeScript one). */
  landscapeWorkerUrl?: URL;
  /** The app's hidden GPU page, opened on first use, where the webgpu backend trains (without one: a Dawn device in the worker). */
  gpuPage?: () => GpuPage;
}

/** How long a run waits for the GPU page to say whether it has WebGPU. */
const GPU_PAGE_WAIT_MS = 15_000;

type Handlers = { [K in Method]: Handler<K> };

/** What each data export is called, and how it is written (whole or not at all). */
const DATA_EXPORTS: Record<DataFormat, { title: string; extension: string; write: (file: string, result: RunResult) => Promise<void> }> = {
  csv: { title: 'Export the curves', extension: 'csv', write: (file, r) => writeAtomic(file, curvesCsv(r)) },
  json: { title: 'Export the result', extension: 'json', write: (file, r) => writeJsonStreamed(file, r, 'models') },
  table: { title: 'Export the table', extension: 'csv', write: (file, r) => writeAtomic(file, summaryCsv(r)) },
  jsonl: { title: 'Export one line per model', extension: 'jsonl', write: (file, r) => writeAtomic(file, modelsJsonl(r)) },
};

export interface HandlerTable {
  dispatch(method: string, arg: unknown): Promise<Envelope<unknown>>;
  /** Stops every run in progress (the window is closing). */
  stopAll(): void;
}

export function createHandlers(options: HandlerOptions): HandlerTable {
  const library = new PresetLibrary(options.builtInPresets, join(options.dataDir, 'presets'));
  const store = new RunStore(join(options.dataDir, 'runs'));
  const settings = new SettingsStore(options.dataDir);
  // what a crash left: runs no process owns any more are marked interrupted; half-written files go
  const ready = Promise.all([store.recover(), library.tidy(), settings.tidy()]);
  const active = new Map<string, { stop(): void }>();

  /** A queue run once Redis answers (connect() says plainly when it does not). */
  async function connected(run: QueueRun): Promise<QueueRun> {
    await run.connect();
    return run;
  }

  /** Runs a preset in the background, storing its log, its models and its result as they come. */
  async function launch({ preset: data, backend, workers, where, presetId, edited }: Args<'startRun'>): Promise<RunRecord> {
    const expanded = parseAndExpand(data);
    const queue = serial(); // the run's files are written in the order its events come
    let id = ''; // the run's id once its folder exists: events only come after start()
    const keep = (event: RunEvent) => {
      if (event.type === 'log') return queue(() => store.appendLog(id, [event.line]));
      if (event.type === 'started') return queue(() => store.started(id, { engine: event.info.engine, plateaus: event.info.plateaus }));
      if (event.type === 'modelFinished') return queue(() => store.appendModel(id, event.result));
    };
    const onEvent = (event: RunEvent) => {
      void keep(event);
      options.send({ kind: 'event', runId: id, event: windowEvent(event) });
    };
    const redis = where === 'queue' ? await queueUrl() : null;
    const device = redis ? {} : await gpuFor(backend, expanded.preset);
    // refuses a run too big for this machine, or a queue that is not there, before anything is written
    const run = redis
      ? await connected(
          new QueueRun(planQueueRun(expanded), redis, {
            resume: true,
            onEvent,
            onNotice: (text) => options.send({ kind: 'notice', runId: id, text }),
          }),
        )
      : new Run(planLocalRun(expanded, { backend, workers, gpu: device.gpu }), {
          workerUrl: options.workerUrl,
          onEvent,
          gpuPage: device.gpuPage,
        });
    const record = await store
      .create(expanded.source, run.plan.backend, run.plan.models.length, { presetId, edited, queue: redis && shownUrl(redis) })
      .catch((err: unknown) => {
        if (run instanceof QueueRun) run.close(); // its Redis clients are no one's now
        throw err;
      });
    id = record.id;
    active.set(id, run);
    void run
      .start()
      .then(
        (result) =>
          queue(() => store.finish(record, result, null, run.snapshots.size ? snapshotsNpz(run.plan.models, run.snapshots) : undefined)),
        (err: Error) => queue(() => store.finish(record, null, err.message)),
      )
      .catch((err: Error) => ({ ...record, status: 'failed' as const, error: `the run's files could not be stored: ${err.message}` }))
      .then((stored) => {
        active.delete(id);
        options.send({ kind: 'stored', runId: id, record: stored });
      });
    return record;
  }

  /** The GPU page for a run (`preset` as it trains) that may train there (webgpu asked for, or `auto` with a group big enough), once it says what it has. */
  async function gpuFor(backend: Backend, preset: Preset): Promise<Pick<LocalChoices, 'gpu'> & Pick<RunOptions, 'gpuPage'>> {
    if (!options.gpuPage || !(backend === 'webgpu' || (backend === 'auto' && webgpuWorthTrying(preset)))) return {};
    const page = options.gpuPage();
    const status = await within<GpuPageStatus>(page.status, GPU_PAGE_WAIT_MS, () => ({
      type: 'unavailable',
      message: `the GPU page did not start within ${GPU_PAGE_WAIT_MS / 1000} s`,
    }));
    if (status.type === 'ready') return { gpu: status.fallback ? 'fallback' : 'real', gpuPage: { page, adapter: status.adapter } };
    if (backend === 'webgpu') throw new Error(`the webgpu backend needs WebGPU, and ${status.message}`);
    return {}; // `auto` trains on the CPU
  }

  /** The Redis queue in the settings, or a plain error saying there is none yet. */
  async function queueUrl(): Promise<string> {
    const { redisUrl } = await settings.get();
    if (!redisUrl) throw new Error('no Redis queue set: give its URL first (Run on: Redis queue)');
    return redisUrl;
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
      if ('error' in read) throw new Error(`${file}: ${read.error}`);
      return library.save(read.data, undefined, file);
    },
    exportPreset: async ({ preset: data, suggestedName }) => {
      const preset = parsePreset(data); // what is written is what was validated
      const file = await options.dialogs.saveFile('Export the preset', `${slug(suggestedName.replace(/\.json$/i, ''))}.json`, 'json');
      if (file) await writeJsonAtomic(file, preset);
      return file;
    },
    exportTorchScript: async ({ preset: data, to }) => {
      const expanded = parseAndExpand(data);
      const script = torchScript(expanded); // a preset PyTorch cannot train as the lab does is refused in one line
      if (to === 'clipboard') {
        await options.clipboard.writeText(script);
        return 'clipboard';
      }
      const file = await options.dialogs.saveFile('Save as a PyTorch script', `${slug(expanded.source.name)}.py`, 'py');
      if (file) await writeAtomic(file, script);
      return file;
    },
    startRun: (arg) => launch(arg),
    stopRun: async ({ runId }) => {
      active.get(runId)?.stop();
    },
    listRuns: () => store.list(),
    getRun: ({ id }) => store.get(id),
    getRunPreset: ({ id }) => store.preset(id),
    getSnapshots: async ({ id, models }) => {
      const kept = await store.snapshots(id, models);
      return kept ? { models: Object.fromEntries(kept), none: null } : { models: {}, none: NO_SNAPSHOTS.run };
    },
    deleteRun: async ({ id }) => {
      if (active.has(id)) throw new Error('the run is still going: stop it first');
      await store.remove(id);
    },
    updateRun: ({ id, ...change }) => store.update(id, change),
    exportLog: async ({ id }) => {
      const [record, log] = await Promise.all([store.record(id), store.log(id)]);
      if (!log) throw new Error(`run “${record.name}” wrote no .out log: it ended before its first line`);
      const file = await options.dialogs.saveFile('Export the .out log', `${slug(record.name, 'run')}.out`, 'out');
      if (file) await writeAtomic(file, log);
      return file;
    },
    exportData: async ({ id, format }) => {
      const { record, result } = await finished(id);
      const { title, extension, write } = DATA_EXPORTS[format];
      const file = await options.dialogs.saveFile(
        title,
        `${slug(record.name, 'run')}${format === 'table' ? '-table' : ''}.${extension}`,
        extension,
      );
      if (file) await write(file, result);
      return file;
    },
    exportChart: async ({ id, groups, compareWith, kind, format, width, height, pixelRatio, to, landscape, ...chartOptions }) => {
      const { record, result } = await finished(id);
      const plane = landscape && (await landscapeAround(id, landscape));
      const others = await Promise.all((compareWith ?? []).map(finished));
      const runs = [{ record, result }, ...others];
      const labels = runLabels(runs.map((r) => r.record.name));
      // the kink paths, and the fit at the cursor's step, draw their models' snapshots: only theirs are read
      const replayed = others.length ? [] : replayedModels(kind, chartOptions, chartDataOf(result).models);
      const kept = replayed.length ? await store.snapshots(id, result.models.filter((m) => replayed.includes(m.id)).map(modelName)) : null;
      const own = chartDataOf(result, kept ? snapshotsById(result.models, kept) : undefined);
      const all = others.length
        ? combine(runs.map((r, k) => ({ data: chartDataOf(r.result), prefix: labels[k] })))
        : kind === 'fit' && chartOptions.step !== undefined
          ? atStep(own, chartOptions.step)
          : own;
      const data = { ...(groups ? combine([{ data: all, groups }]) : all), landscape: plane };
      const image = await renderChart(data, { kind, format, width, height, pixelRatio, options: chartOptions });
      if (to === 'clipboard') {
        if (format === 'png') await options.clipboard.writePng(image);
        else await options.clipboard.writeText(image.toString('utf8'));
        return 'clipboard';
      }
      const file = await options.dialogs.saveFile('Export the chart', `${slug(`${record.name} ${kind}`, 'chart')}.${format}`, format);
      if (file) await writeAtomic(file, image);
      return file;
    },
    saveAnimation: async ({ id, format, bytes }) => {
      const { record } = await finished(id);
      const file = await options.dialogs.saveFile(
        'Export the animation',
        `${slug(`${record.name} animation`, 'animation')}.${format}`,
        format,
      );
      if (file) await writeAtomic(file, bytes);
      return file;
    },
    getSettings: () => settings.get(),
    updateSettings: (change) => settings.update(change),
    exportAllCharts: async ({ id }) => {
      const { record, result, log } = await finished(id);
      const parent = await options.dialogs.chooseFolder('Export all charts into a folder');
      return parent ? exportRunFolder(result, `${record.name} ${record.startedAt.slice(0, 10)}`, log, parent) : null;
    },
    landscape: ({ id, ...request }) => landscapeAround(id, request),
  };

  /** The plane around a stored run's model, computed off main's event loop: the window stays live. */
  async function landscapeAround(id: string, { model: name, ...request }: Omit<Args<'landscape'>, 'id'>): Promise<Landscape> {
    const { record, result } = await finished(id);
    const model = result.models.find((m) => modelName(m) === name);
    if (!model) throw new Error(`run “${record.name}” has no model ${name}`);
    return landscapeInWorker({ preset: result.preset, model, snapshotsFile: store.snapshotsFile(id), request }, options.landscapeWorkerUrl);
  }

  /** A stored run with its result (exports need one). */
  async function finished(id: string) {
    const run = await store.get(id);
    if (!run.result) throw new Error(`run ${run.record.name} has no results to export yet`);
    return { ...run, result: run.result };
  }

  /** One call's answer: its argument validated against the contract, then its handler's result or error. */
  async function answer(method: string, arg: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(ARGS, method)) return { ok: false, error: `unknown method ${method.slice(0, 80)}` };
    await ready.catch(() => undefined); // a folder that cannot be tidied is still listed, with its error
    const parsed = ARGS[method as Method].safeParse(arg);
    if (!parsed.success) return { ok: false, error: `${method}: ${firstProblem(parsed.error, arg, 'argument')}` };
    try {
      const handler = handlers[method as Method] as (arg: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    async dispatch(method, arg) {
      const reply = await answer(method, arg);
      // an error may quote a file's or a group's name: its control characters shown as escapes, as everywhere
      return reply.ok ? reply : { ok: false, error: printable(reply.error) };
    },
    stopAll() {
      for (const run of active.values()) run.stop();
    },
  };
}
