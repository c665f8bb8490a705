// The renderer's state in one place: the preset library and the draft being edited, the run on
// screen (live or from history), and the actions that talk to the main process. Every call to
// window.lab goes through here.
import type { ChartKind } from '../../../core/charts/kinds.ts';
import type { ChartModel } from '../../../core/charts/spec.ts';
import { appendCurves, emptyCurves } from '../../../core/curves.ts';
import { DEFAULT_BACKEND, type Backend, type ModelResult, type RunInfo, type RunResult } from '../../../core/events.ts';
import type { Args, LabApi, MachineInfo, PresetEntry, RunMessage, RunRecord } from '../../../core/ipc/contract.ts';
import { parsePreset, PresetError, type Preset } from '../../../core/preset.ts';

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
  name: string;
  live: boolean;
  status: RunRecord['status'];
  info: RunInfo | null;
  preset: Preset;
  models: ModelRow[];
  result: RunResult | null;
  log: string[];
  stepsPerSecond: number;
  etaSeconds: number | null;
  modelsDone: number;
  /** Bumped whenever curves change. */
  version: number;
}

export type Screen = 'editor' | 'run' | 'results';

/** A problem with the draft, at a field path ('' for the preset as a whole). */
export interface Problem {
  path: string;
  message: string;
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
  screen = $state<Screen>('editor');
  /**
   * Raw (not deeply reactive): curves grow by thousands of points, and proxies on every point would
   * slow the charts. Every change replaces the view object, which is what redraws the screen.
   */
  view = $state.raw<RunView | null>(null);
  backend = $state<Backend>(DEFAULT_BACKEND);
  workers = $state(1);
  /** A message for the user (an action that failed, or what just happened). */
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** An action waiting for the user to agree to lose unsaved changes. */
  pendingDiscard = $state<(() => void) | null>(null);

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
    this.workers = this.machine.cores;
    window.lab.onRunEvent((m) => this.onMessage(m));
    await this.refresh();
    const first = this.presets.find((p) => p.preset);
    if (first) this.load(first);
  }

  async refresh(): Promise<void> {
    [this.presets, this.runs] = await Promise.all([window.lab.listPresets(), window.lab.listRuns()]);
  }

  /** Runs an action, reporting its failure instead of throwing it: its value, or `failed` when it threw. */
  async attempt<T>(action: () => Promise<T>, done?: string): Promise<{ value: T } | 'failed'> {
    try {
      const value = await action();
      if (done) this.notice = { kind: 'info', text: done };
      return { value };
    } catch (err) {
      this.notice = { kind: 'error', text: err instanceof Error ? err.message : String(err) };
      return 'failed';
    }
  }

  /** Records (or, with null, clears) input at `path` that is not a value yet. */
  setInputError(path: string, message: string | null): void {
    const { [path]: _, ...rest } = this.inputErrors;
    this.inputErrors = message === null ? rest : { ...rest, [path]: message };
  }

  /** Runs `action` now, or after the user agrees to discard the draft's unsaved changes. */
  private unlessDirty(action: () => void): void {
    if (this.dirty) this.pendingDiscard = action;
    else action();
  }

  open(entry: PresetEntry): void {
    if (entry.id !== this.selectedId) this.unlessDirty(() => this.load(entry));
  }

  private edit(id: string | null, preset: Preset, saved: boolean): void {
    this.selectedId = id;
    this.draft = $state.snapshot(preset) as Preset; // a copy: the library entry stays as loaded
    this.savedJson = saved ? JSON.stringify(this.draft) : '';
    this.inputErrors = {};
    this.screen = 'editor';
  }

  private load(entry: PresetEntry): void {
    if (entry.preset) this.edit(entry.id, entry.preset, true);
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
    const saved = await this.attempt(() => window.lab.savePreset({ preset: this.snapshot(), id }), 'Saved.');
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async saveAs(name: string): Promise<void> {
    if (!this.draft) return;
    const saved = await this.attempt(() => window.lab.savePreset({ preset: { ...this.snapshot(), name } }), `Saved as “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async rename(name: string): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    const saved = await this.attempt(() => window.lab.renamePreset({ id, name }), `Renamed to “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async duplicate(entry: PresetEntry): Promise<void> {
    const saved = await this.attempt(() => window.lab.duplicatePreset({ id: entry.id }), 'Duplicated.');
    if (saved !== 'failed') await this.afterSave(saved.value, true);
  }

  async remove(entry: PresetEntry): Promise<void> {
    if ((await this.attempt(() => window.lab.deletePreset({ id: entry.id }), `Deleted “${entry.title}”.`)) === 'failed') return;
    if (this.selectedId === entry.id) this.selectedId = null;
    await this.refresh();
  }

  async importPreset(): Promise<void> {
    const imported = await this.attempt(() => window.lab.importPreset());
    if (imported === 'failed' || !imported.value) return;
    this.notice = { kind: 'info', text: `Imported “${imported.value.title}”.` };
    await this.afterSave(imported.value, true);
  }

  async exportPreset(): Promise<void> {
    if (!this.draft) return;
    const preset = this.snapshot();
    const file = await this.attempt(() => window.lab.exportPreset({ preset, suggestedName: `${preset.name}.json` }));
    if (file !== 'failed' && file.value) this.notice = { kind: 'info', text: `Exported to ${file.value}` };
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
    const started = await this.attempt(() => window.lab.startRun({ preset, backend: this.backend, workers: this.workers }));
    if (started === 'failed') return;
    const record = started.value;
    this.view = {
      runId: record.id,
      name: record.name,
      live: true,
      status: 'running',
      info: null,
      preset,
      models: [],
      result: null,
      log: [],
      stepsPerSecond: 0,
      etaSeconds: null,
      modelsDone: 0,
      version: 0,
    };
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
    const stored = opened.value;
    const result = stored.result;
    this.view = {
      runId: record.id,
      name: record.name,
      live: false,
      status: stored.record.status,
      info: null,
      preset: stored.preset,
      models: result ? result.models.map(rowOf) : [],
      result,
      log: stored.log.split('\n').filter(Boolean),
      stepsPerSecond: 0,
      etaSeconds: null,
      modelsDone: result?.models.length ?? 0,
      version: 1,
    };
    this.screen = 'results';
  }

  async deleteRun(record: RunRecord): Promise<void> {
    if ((await this.attempt(() => window.lab.deleteRun({ id: record.id }), 'Run deleted.')) === 'failed') return;
    if (this.view?.runId === record.id) this.view = null;
    this.runs = await window.lab.listRuns();
  }

  /** Runs an export of the run on screen and says where it went (nothing when the dialog was cancelled). */
  private async exportRun(exporting: (id: string) => Promise<string | null>, said: (where: string) => string): Promise<boolean> {
    const view = this.view;
    if (!view) return false;
    const done = await this.attempt(() => exporting(view.runId));
    if (done === 'failed' || !done.value) return false;
    this.notice = { kind: 'info', text: said(done.value) };
    return true;
  }

  exportLog(): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportLog({ id }),
      (file) => `Log exported to ${file}`,
    );
  }

  exportData(format: 'csv' | 'json'): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportData({ id, format }),
      (file) => `${format.toUpperCase()} exported to ${file}`,
    );
  }

  exportAll(): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportAllCharts({ id }),
      (dir) => `Charts, CSV, JSON and log exported to ${dir}`,
    );
  }

  exportChart(request: Omit<Args<'exportChart'>, 'id'> & { kind: ChartKind }): Promise<boolean> {
    return this.exportRun(
      (id) => window.lab.exportChart({ ...request, id }),
      (where) => (where === 'clipboard' ? 'Chart copied to the clipboard.' : `Chart saved to ${where}`),
    );
  }

  private onMessage(message: RunMessage): void {
    const view = this.view;
    if (message.kind === 'stored') {
      void window.lab.listRuns().then((runs) => {
        this.runs = runs;
      });
      if (view?.runId === message.runId) {
        this.view = { ...view, live: false, status: message.record.status };
        this.notice = message.record.error
          ? { kind: 'error', text: `The run failed: ${message.record.error}` }
          : { kind: 'info', text: `Run ${message.record.status}.` };
      }
      return;
    }
    if (!view || view.runId !== message.runId) return;
    const event = message.event;
    switch (event.type) {
      case 'started':
        this.view = {
          ...view,
          info: event.info,
          models: event.info.models.map((m) => ({
            ...m,
            curves: emptyCurves(),
            params: [],
            lossFinal: null,
            status: 'waiting',
            step: 0,
            lossVal: NaN,
          })),
        };
        break;
      case 'log':
        this.view = { ...view, log: [...view.log, event.line] };
        break;
      case 'progress': {
        const models = view.models.slice();
        for (const p of event.models) {
          const row = models[p.id];
          if (!row) continue;
          appendCurves(row.curves, p.curves); // the arrays grow in place; the row is new
          models[p.id] = {
            ...row,
            step: p.step,
            lossVal: p.lossVal,
            params: p.params,
            status: row.status === 'waiting' ? 'training' : row.status,
          };
        }
        this.view = {
          ...view,
          models,
          stepsPerSecond: event.stepsPerSecond,
          etaSeconds: event.etaSeconds,
          modelsDone: event.modelsDone,
          version: view.version + 1,
        };
        break;
      }
      case 'modelFinished': {
        const models = view.models.slice();
        models[event.result.id] = rowOf(event.result);
        this.view = { ...view, models, version: view.version + 1 };
        break;
      }
      case 'finished':
        this.view = { ...view, result: event.result, modelsDone: event.result.models.length, version: view.version + 1 };
        break;
    }
  }
}

export const lab = new Lab();
