// The renderer's state in one place: the preset library and the draft being edited, the run on
// screen (live or from history), and the actions that talk to the main process. Every call to
// window.lab goes through here.
import type { ChartKind } from '../../../core/charts/kinds.ts';
import type { ChartModel } from '../../../core/charts/data.ts';
import { appendCurves, emptyCurves } from '../../../core/results/curves.ts';
import { DEFAULT_BACKEND, type Backend, type ModelResult, type RunInfo, type RunResult } from '../../../core/results/events.ts';
import {
  MAX_COMPARED,
  type Args,
  type DataFormat,
  type LabApi,
  type MachineInfo,
  type RunPlace,
  type PresetEntry,
  type RunMessage,
  type RunRecord,
  type StoredRun,
} from '../../../core/ipc/contract.ts';
import { isRedisUrl, shownUrl } from '../../../core/queue/redis-url.ts';
import { expandSweep, type SweepInfo } from '../../../core/preset/sweep.ts';
import { MAX_WORKERS, type Preset } from '../../../core/preset/preset.ts';
import { parsePreset, PresetError } from '../../../core/preset/parse.ts';

declare global {
  interface Window {
    lab: LabApi;
  }
}

/** A model as the run screen shows it: waiting for a worker, training, or finished with its result. */
export interface ModelRow extends ChartModel {
  step: number;
  lossVal: number;
}

export interface RunView {
  runId: string;
  /** The run as the history lists it: its preset, when it started, whether from unsaved edits. */
  record: RunRecord;
  name: string;
  live: boolean;
  status: RunRecord['status'];
  info: RunInfo | null;
  /** As run: a sweep's cells are its groups. */
  preset: Preset;
  sweep: SweepInfo | null;
  models: ModelRow[];
  result: RunResult | null;
  log: string[];
  stepsPerSecond: number;
  etaSeconds: number | null;
  modelsDone: number;
  /** Bumped whenever curves change. */
  version: number;
}

export type Screen = 'editor' | 'run' | 'results' | 'compare';

/** A question the user answers before something is lost: discarding edits, deleting a preset or a run. */
export interface Confirmation {
  title: string;
  detail?: string;
  confirm: string;
  cancel: string;
  action: () => void;
}

/** The preset a first launch opens: the seed experiment. */
const FIRST_PRESET = 'builtin:seed-narrow-vs-wide';
/** How long a notice that something worked stays (errors stay until closed). */
const NOTICE_MS = 4000;

/** A problem with the draft, at a field path ('' for the preset as a whole). */
export interface Problem {
  path: string;
  message: string;
}

/** A run's view before anything has trained: its preset as run (a sweep expanded). */
function viewOf(record: RunRecord, preset: Preset, live: boolean): RunView {
  const expanded = expandSweep(preset);
  return {
    runId: record.id,
    record,
    name: record.name,
    live,
    status: record.status,
    info: null,
    preset: expanded.preset,
    sweep: expanded.sweep,
    models: [],
    result: null,
    log: [],
    stepsPerSecond: 0,
    etaSeconds: null,
    modelsDone: 0,
    version: 0,
  };
}

/** A stored run's view: its result's models, or none. */
function storedView(stored: StoredRun): RunView {
  const { record, result } = stored;
  const view = viewOf(record, stored.preset, false);
  if (!result) return { ...view, log: stored.log.split('\n').filter(Boolean), version: 1 };
  return {
    ...view,
    preset: result.preset,
    sweep: result.sweep,
    models: result.models.map(rowOf),
    result,
    log: stored.log.split('\n').filter(Boolean),
    modelsDone: result.models.length,
    version: 1,
  };
}

function rowOf(result: ModelResult): ModelRow {
  return { ...result, params: result.finalParams, step: result.steps, lossVal: result.lossFinal ?? NaN };
}

/** The draft's first problem, as the preset loader would report it. */
function validate(draft: Preset): Problem | null {
  try {
    parsePreset(draft, 'preset');
    return null;
  } catch (err) {
    return err instanceof PresetError ? { path: err.path, message: err.problem } : { path: '', message: String(err) };
  }
}

class Lab {
  machine = $state<MachineInfo>({ cores: 1 });
  presets = $state<PresetEntry[]>([]);
  runs = $state<RunRecord[]>([]);
  /** The library entry the draft came from (null for a new, never saved preset). */
  selectedId = $state<string | null>(null);
  draft = $state<Preset | null>(null);
  savedJson = $state('');
  /** Text the user typed that is not a value yet (e.g. "16x" as hidden widths), by field path. */
  inputErrors = $state<Record<string, string>>({});
  /** The draft as JSON text while the editor shows it so (null: the form); the user's text, parsed or not. */
  jsonText = $state<string | null>(null);
  screen = $state<Screen>('editor');
  /**
   * Raw (not deeply reactive): curves grow by thousands of points, and proxies on every point would
   * slow the charts. Every change replaces the view object, which is what redraws the screen.
   */
  view = $state.raw<RunView | null>(null);
  backend = $state<Backend>(DEFAULT_BACKEND);
  workers = $state(1);
  /** This computer, or the worker pool behind the Redis queue (`lab worker`). */
  where = $state<RunPlace>('local');
  /** The queue's Redis URL as typed (kept in the settings once a run uses it). */
  redisUrl = $state('');
  redisProblem = $derived(
    this.where === 'queue' && !isRedisUrl(this.redisUrl.trim()) ? 'a redis:// URL, e.g. redis://localhost:6379' : null,
  );
  /** tfjs and webgpu train each group as one batch, in one worker. */
  oneWorker = $derived(this.backend.startsWith('tfjs') || this.backend === 'webgpu');
  /** Whether the Workers field counts: a local run on the CPU kernels (a queue's workers choose their own). */
  workersCount = $derived(this.where === 'local' && !this.oneWorker);
  /** What is wrong with the Workers field where it counts, or null (an empty field binds to null). */
  workersProblem = $derived(
    this.workersCount && !(Number.isInteger(this.workers) && this.workers >= 1 && this.workers <= MAX_WORKERS)
      ? `a whole number from 1 to ${MAX_WORKERS}`
      : null,
  );
  /** A message for the user (an action that failed, or what just happened). */
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** Runs ticked in the history for comparing, in the order ticked. */
  compareIds = $state<string[]>([]);
  /** The runs compared side by side (null: none open). */
  comparison = $state.raw<RunView[] | null>(null);
  /** A question waiting for the user's answer. */
  confirmation = $state<Confirmation | null>(null);
  /** The name of the open preset when it was deleted from the library (its values stay in the editor). */
  orphaned = $state<string | null>(null);
  /** Library changes in flight: their buttons wait. */
  busy = $state(0);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  selected = $derived(this.presets.find((p) => p.id === this.selectedId) ?? null);
  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.savedJson);
  /** The draft's first problem: unparsed input first, then what the schema says. */
  problem = $derived.by((): Problem | null => {
    if (!this.draft) return null;
    const [path, message] = Object.entries(this.inputErrors)[0] ?? [];
    return path !== undefined ? { path, message } : validate($state.snapshot(this.draft) as Preset);
  });

  async init(): Promise<void> {
    this.machine = await window.lab.machine();
    this.workers = Math.min(this.machine.cores, MAX_WORKERS); // a run asks for at most MAX_WORKERS
    window.lab.onRunEvent((m) => this.onMessage(m));
    const [settings] = await Promise.all([window.lab.getSettings(), this.refresh()]);
    this.redisUrl = settings.redisUrl ?? '';
    // the preset open last time, else the seed experiment, else the first that loads
    const valid = this.presets.filter((p) => p.preset);
    const open = valid.find((p) => p.id === settings.lastPresetId) ?? valid.find((p) => p.id === FIRST_PRESET) ?? valid[0];
    if (open) this.load(open);
  }

  /** Shows a message; one that says something worked goes by itself after a few seconds. */
  say(kind: 'error' | 'info', text: string): void {
    clearTimeout(this.noticeTimer);
    this.notice = { kind, text };
    if (kind === 'info') this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }

  async refresh(): Promise<void> {
    [this.presets, this.runs] = await Promise.all([window.lab.listPresets(), window.lab.listRuns()]);
  }

  /** Runs an action, reporting its failure instead of throwing it: its value, or `failed` when it threw. */
  async attempt<T>(action: () => Promise<T>, done?: string): Promise<{ value: T } | 'failed'> {
    try {
      const value = await action();
      if (done) this.say('info', done);
      return { value };
    } catch (err) {
      this.say('error', err instanceof Error ? err.message : String(err));
      return 'failed';
    }
  }

  /** A library change: its buttons wait while it is in flight. */
  private async mutate<T>(action: () => Promise<T>, done?: string): Promise<{ value: T } | 'failed'> {
    this.busy++;
    try {
      return await this.attempt(action, done);
    } finally {
      this.busy--;
    }
  }

  /** Shows the draft as JSON, or the form again (text a form field could not read is gone with the field). */
  toggleJson(): void {
    this.inputErrors = {};
    this.jsonText = this.jsonText === null ? JSON.stringify(this.draft, null, 2) : null;
  }

  /** The JSON text as typed: the draft when it parses, the draft's problem when it does not. */
  editJson(text: string): void {
    this.jsonText = text;
    try {
      this.draft = JSON.parse(text) as Preset;
      this.setInputError('', null);
    } catch (err) {
      this.setInputError('', `the JSON does not parse: ${(err as Error).message}`);
    }
  }

  /** Records (or, with null, clears) input at `path` that is not a value yet. */
  setInputError(path: string, message: string | null): void {
    const { [path]: _, ...rest } = this.inputErrors;
    this.inputErrors = message === null ? rest : { ...rest, [path]: message };
  }

  /** Runs `action` now, or after the user agrees to discard the draft's unsaved changes. */
  private unlessDirty(action: () => void): void {
    if (!this.dirty) return action();
    this.confirmation = {
      title: `Discard the unsaved changes to “${this.draft?.name}”?`,
      confirm: 'Discard',
      cancel: 'Keep editing',
      action,
    };
  }

  open(entry: PresetEntry): void {
    if (entry.id !== this.selectedId) this.unlessDirty(() => this.load(entry));
  }

  private edit(id: string | null, preset: Preset, saved: boolean): void {
    this.selectedId = id;
    this.orphaned = null;
    this.draft = $state.snapshot(preset) as Preset; // a copy: the library entry stays as loaded
    this.savedJson = saved ? JSON.stringify(this.draft) : '';
    this.inputErrors = {};
    if (this.jsonText !== null) this.jsonText = JSON.stringify(this.draft, null, 2);
    this.screen = 'editor';
  }

  private load(entry: PresetEntry): void {
    if (!entry.preset) return;
    this.edit(entry.id, entry.preset, true);
    void this.attempt(() => window.lab.updateSettings({ lastPresetId: entry.id }));
  }

  newPreset(): void {
    const base = this.presets.find((p) => p.preset)?.preset;
    if (base) this.unlessDirty(() => this.edit(null, { ...base, name: 'New preset', description: '' }, false));
  }

  private snapshot(): Preset {
    return $state.snapshot(this.draft!) as Preset;
  }

  /** Save over the selected user preset; built-in and new presets go through saveAs. */
  async save(): Promise<void> {
    if (!this.draft || !this.selected || this.selected.builtIn) return;
    const id = this.selected.id;
    const saved = await this.mutate(() => window.lab.savePreset({ preset: this.snapshot(), id }), 'Saved.');
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async saveAs(name: string): Promise<void> {
    if (!this.draft) return;
    const saved = await this.mutate(() => window.lab.savePreset({ preset: { ...this.snapshot(), name } }), `Saved as “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async rename(name: string): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    const saved = await this.mutate(() => window.lab.renamePreset({ id, name }), `Renamed to “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async duplicate(entry: PresetEntry): Promise<void> {
    const saved = await this.mutate(() => window.lab.duplicatePreset({ id: entry.id }), 'Duplicated.');
    if (saved !== 'failed') await this.afterSave(saved.value, true);
  }

  /** Asks, then deletes a user preset; the editor keeps an open one's values and says it was deleted. */
  remove(entry: PresetEntry): void {
    this.confirmation = {
      title: `Delete the preset “${entry.title}”?`,
      detail: `Its file ${entry.file.split(/[\\/]/).pop()} is removed from your presets. Runs made from it stay in the history.`,
      confirm: 'Delete',
      cancel: 'Keep it',
      action: () => void this.deleteNow(entry),
    };
  }

  private async deleteNow(entry: PresetEntry): Promise<void> {
    if ((await this.mutate(() => window.lab.deletePreset({ id: entry.id }), `Deleted “${entry.title}”.`)) === 'failed') return;
    if (this.selectedId === entry.id) {
      this.selectedId = null;
      this.savedJson = ''; // what is on screen is no longer saved anywhere
      this.orphaned = entry.title;
    }
    await this.refresh();
  }

  async importPreset(): Promise<void> {
    const imported = await this.mutate(() => window.lab.importPreset());
    if (imported === 'failed' || !imported.value) return;
    this.say('info', `Imported “${imported.value.title}”.`);
    await this.afterSave(imported.value, true);
  }

  async exportPreset(): Promise<void> {
    if (!this.draft) return;
    const preset = this.snapshot();
    const file = await this.attempt(() => window.lab.exportPreset({ preset, suggestedName: `${preset.name}.json` }));
    if (file !== 'failed' && file.value) this.say('info', `Exported to ${file.value}`);
  }

  /** Shows a preset just written: the saved draft itself, or (import, duplicate) another one, which must not silently replace unsaved edits. */
  private async afterSave(entry: PresetEntry, replacesDraft = false): Promise<void> {
    await this.refresh();
    const show = () => this.load(this.presets.find((p) => p.id === entry.id) ?? entry);
    if (replacesDraft) this.unlessDirty(show);
    else show();
  }

  async start(): Promise<void> {
    if (!this.draft || this.problem) return;
    const preset = this.snapshot();
    const source = { presetId: this.selected?.id ?? null, edited: this.dirty };
    const where = this.where;
    if (where === 'queue') {
      if (this.redisProblem) return this.say('error', `Redis URL: expected ${this.redisProblem}.`);
      if ((await this.attempt(() => window.lab.updateSettings({ redisUrl: this.redisUrl.trim() }))) === 'failed') return;
      this.say('info', `Connecting to ${shownUrl(this.redisUrl.trim())}…`);
    }
    this.starting = true;
    const started = await this.attempt(() =>
      window.lab.startRun({ preset, backend: this.backend, workers: this.workersCount ? this.workers : 1, where, ...source }),
    );
    this.starting = false;
    const early = this.early.filter((m) => started !== 'failed' && m.runId === started.value.id);
    this.early = [];
    if (started === 'failed') return;
    if (where === 'queue') this.notice = null;
    this.view = viewOf(started.value, preset, true);
    if (early.length) {
      this.inbox = [...early, ...this.inbox]; // first, in the order they came
      this.inboxTimer ??= setTimeout(() => this.applyInbox(), INBOX_MS);
    }
    this.screen = 'run';
    this.runs = await window.lab.listRuns();
  }

  async stop(): Promise<void> {
    const view = this.view;
    if (view?.live) await this.attempt(() => window.lab.stopRun({ runId: view.runId }), 'Stopping…');
  }

  async openRun(record: RunRecord): Promise<void> {
    const opened = await this.attempt(() => window.lab.getRun({ id: record.id }));
    if (opened === 'failed') return;
    this.view = storedView(opened.value);
    this.screen = 'results';
  }

  /** Asks, then deletes a run with its log, result and curves. */
  deleteRun(record: RunRecord): void {
    this.confirmation = {
      title: `Delete the run “${record.name}”?`,
      detail: `${record.startedAt ? `Started ${new Date(record.startedAt).toLocaleString()}; its` : 'Its'} .out log, results and curves are removed.`,
      confirm: 'Delete',
      cancel: 'Keep it',
      action: () => void this.deleteRunNow(record),
    };
  }

  private async deleteRunNow(record: RunRecord): Promise<void> {
    if ((await this.attempt(() => window.lab.deleteRun({ id: record.id }), 'Run deleted.')) === 'failed') return;
    if (this.view?.runId === record.id) this.view = null;
    this.compareIds = this.compareIds.filter((id) => id !== record.id);
    this.runs = await window.lab.listRuns();
  }

  /** Ticks a run in the history for comparing, or unticks it. */
  toggleCompare(id: string): void {
    this.compareIds = this.compareIds.includes(id)
      ? this.compareIds.filter((k) => k !== id)
      : [...this.compareIds, id].slice(-MAX_COMPARED);
  }

  /** Opens the ticked runs side by side (in the order they were ticked). */
  async compare(): Promise<void> {
    const ids = this.compareIds;
    const opened = await this.attempt(() => Promise.all(ids.map((id) => window.lab.getRun({ id }))));
    if (opened === 'failed') return;
    const views = opened.value.map(storedView);
    const empty = views.filter((v) => !v.result);
    if (empty.length) return this.say('error', `${empty.map((v) => `“${v.name}”`).join(', ')} kept no results to compare.`);
    this.comparison = views;
    this.screen = 'compare';
  }

  /** Runs an export of the run on screen and says where it went (nothing when the dialog was cancelled). */
  private async exportRun(
    exporting: (id: string) => Promise<string | null>,
    said: (where: string) => string,
    runId = this.view?.runId,
  ): Promise<boolean> {
    if (!runId) return false;
    const done = await this.attempt(() => exporting(runId));
    if (done === 'failed' || !done.value) return false;
    this.say('info', said(done.value));
    return true;
  }

  exportLog(): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportLog({ id }),
      (file) => `Log exported to ${file}`,
    );
  }

  exportData(format: DataFormat): Promise<boolean> {
    const what = { csv: 'Curves', json: 'JSON result', table: 'Table', jsonl: 'One line per model' }[format];
    return this.exportRun(
      (id) => window.lab.exportData({ id, format }),
      (file) => `${what} exported to ${file}`,
    );
  }

  exportAll(): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportAllCharts({ id }),
      (dir) => `Charts, CSV, JSON and log exported to ${dir}`,
    );
  }

  /** Exports a chart of the run on screen (some of its groups), or of the runs compared. */
  exportChart(request: Omit<Args<'exportChart'>, 'id' | 'compareWith'> & { kind: ChartKind }, comparing = false): Promise<boolean> {
    const [first, ...others] = comparing ? (this.comparison ?? []) : [];
    const compareWith = others.map((v) => v.runId);
    return this.exportRun(
      (id) => window.lab.exportChart({ ...request, id, ...(first ? { compareWith } : {}) }),
      (where) => (where === 'clipboard' ? 'Chart copied to the clipboard.' : `Chart saved to ${where}`),
      first?.runId,
    );
  }

  /** While startRun is answered: its run's first messages may come before its id, and wait for it here. */
  private starting = false;
  private early: RunMessage[] = [];
  /** Messages not yet applied, and the timer that applies them. */
  private inbox: RunMessage[] = [];
  private inboxTimer: ReturnType<typeof setTimeout> | null = null;
  /** The live run's finished models by id: its `finished` event does not carry them again. */
  private finishedModels: ModelResult[] = [];

  /**
   * A big sweep sends thousands of messages a second: they are applied together, at most ten times a
   * second, so the page copies its rows and redraws once per batch rather than once per model.
   */
  private onMessage(message: RunMessage): void {
    this.inbox.push(message);
    this.inboxTimer ??= setTimeout(() => this.applyInbox(), INBOX_MS);
  }

  private applyInbox(): void {
    const batch = this.inbox;
    this.inbox = [];
    this.inboxTimer = null;
    let view = this.view;
    let models: ModelRow[] | null = null; // this batch's copy of the rows, made on the first change
    const rows = () => (models ??= view!.models.slice());
    const lines: string[] = [];
    for (const message of batch) {
      if (this.starting && message.runId !== view?.runId) {
        this.early.push(message);
        continue;
      }
      if (message.kind === 'stored') {
        void window.lab.listRuns().then((runs) => {
          this.runs = runs;
        });
        if (view?.runId === message.runId) {
          view = { ...view, record: message.record, live: false, status: message.record.status };
          if (message.record.error) this.say('error', `The run failed: ${message.record.error}`);
          else this.say('info', `Run ${message.record.status}.`);
        }
        continue;
      }
      if (!view || view.runId !== message.runId) continue;
      const event = message.event;
      switch (event.type) {
        case 'started':
          this.finishedModels = [];
          models = event.info.models.map((m) => ({
            ...m,
            curves: emptyCurves(),
            params: [],
            lossFinal: null,
            status: 'waiting',
            step: 0,
            lossVal: NaN,
          }));
          view = { ...view, info: event.info, preset: event.info.preset, sweep: event.info.sweep };
          break;
        case 'log':
          lines.push(event.line);
          break;
        case 'progress': {
          const all = rows();
          for (const p of event.models) {
            const row = all[p.id];
            if (!row || row.outcome !== undefined) continue; // finished: its result has the whole curve
            appendCurves(row.curves, p.curves); // the arrays grow in place; the row is new
            all[p.id] = {
              ...row,
              step: p.step,
              lossVal: p.lossVal,
              params: p.params ?? row.params,
              status: row.status === 'waiting' ? 'training' : row.status,
            };
          }
          view = { ...view, stepsPerSecond: event.stepsPerSecond, etaSeconds: event.etaSeconds, modelsDone: event.modelsDone };
          break;
        }
        case 'modelFinished':
          rows()[event.result.id] = rowOf(event.result);
          this.finishedModels[event.result.id] = event.result;
          break;
        case 'finished': {
          const done = this.finishedModels.filter((m) => m !== undefined); // in id order, as the result's
          view = { ...view, result: { ...event.result, models: done }, modelsDone: done.length };
          break;
        }
      }
    }
    if (!view) return;
    if (models) view = { ...view, models, version: view.version + 1 };
    if (lines.length) view = { ...view, log: view.log.concat(lines) };
    if (view !== this.view) this.view = view;
  }
}

/** How long run messages gather before the page applies them. */
const INBOX_MS = 100;

export const lab = new Lab();
