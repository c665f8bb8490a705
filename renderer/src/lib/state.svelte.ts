// The renderer's state in one place: the preset library and the draft being edited, the run on
// screen (live or from history), and the actions that talk to the main process through window.lab.
import type { LabApi, MachineInfo, PresetEntry, RunMessage, RunRecord } from '../../../electron/ipc/contract.ts';
import type { Backend, ModelResult, RunInfo, RunResult } from '../../../electron/engine/events.ts';
import { appendCurves, emptyCurves } from '../../../electron/engine/curves.ts';
import { parsePreset, PresetError, type Preset } from '../../../electron/engine/preset.ts';
import type { ChartModel } from '../charts/spec.ts';

declare global {
  interface Window { lab: LabApi }
}

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

function rowOf(result: ModelResult): ModelRow {
  return { ...result, params: result.finalParams, step: result.steps, lossVal: result.lossFinal ?? NaN };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

class Lab {
  machine = $state<MachineInfo>({ cores: 1, backends: ['auto'] });
  presets = $state<PresetEntry[]>([]);
  runs = $state<RunRecord[]>([]);
  /** The library entry the draft came from (null for a new, never saved preset). */
  selectedId = $state<string | null>(null);
  draft = $state<Preset | null>(null);
  savedJson = $state('');
  screen = $state<Screen>('editor');
  /**
   * Raw (not deeply reactive): curves grow by thousands of points, and proxies on every point would
   * slow the charts. Every change replaces the view object, which is what redraws the screen.
   */
  view = $state.raw<RunView | null>(null);
  backend = $state<Backend>('auto');
  workers = $state(1);
  /** A message for the user (an action that failed, or what just happened). */
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** An action waiting for the user to agree to lose unsaved changes. */
  pendingDiscard = $state<(() => void) | null>(null);

  selected = $derived(this.presets.find((p) => p.id === this.selectedId) ?? null);
  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.savedJson);
  /** The draft's first problem, as the preset loader would report it. */
  problem = $derived.by((): { path: string; message: string } | null => {
    if (!this.draft) return null;
    try {
      parsePreset(JSON.parse(JSON.stringify(this.draft)), 'preset');
      return null;
    } catch (err) {
      return err instanceof PresetError ? { path: err.path, message: err.problem } : { path: '', message: String(err) };
    }
  });

  async init(): Promise<void> {
    this.machine = await window.lab.machine(undefined);
    this.workers = this.machine.cores;
    window.lab.onRunEvent((m) => this.onMessage(m));
    await this.refresh();
    const first = this.presets.find((p) => p.preset);
    if (first) this.load(first);
  }

  async refresh(): Promise<void> {
    [this.presets, this.runs] = await Promise.all([window.lab.listPresets(undefined), window.lab.listRuns(undefined)]);
  }

  /** Runs an action, reporting its failure instead of throwing it. */
  async attempt<T>(action: () => Promise<T>, done?: string): Promise<T | undefined> {
    try {
      const value = await action();
      if (done) this.notice = { kind: 'info', text: done };
      return value;
    } catch (err) {
      this.notice = { kind: 'error', text: err instanceof Error ? err.message : String(err) };
      return undefined;
    }
  }

  /** Runs `action` now, or after the user agrees to discard the draft's unsaved changes. */
  private unlessDirty(action: () => void): void {
    if (this.dirty) this.pendingDiscard = action;
    else action();
  }

  open(entry: PresetEntry): void {
    if (entry.id !== this.selectedId) this.unlessDirty(() => this.load(entry));
  }

  private load(entry: PresetEntry): void {
    if (!entry.preset) return;
    this.selectedId = entry.id;
    this.draft = clone(entry.preset);
    this.savedJson = JSON.stringify(this.draft);
    this.screen = 'editor';
  }

  newPreset(): void {
    const base = this.presets.find((p) => p.preset)?.preset;
    if (!base) return;
    this.unlessDirty(() => {
      this.selectedId = null;
      this.draft = { ...clone(base), name: 'New preset', description: '' };
      this.savedJson = '';
      this.screen = 'editor';
    });
  }

  /** Save over the selected user preset; built-in and new presets go through saveAs. */
  async save(): Promise<void> {
    if (!this.draft || !this.selected || this.selected.builtIn) return;
    const saved = await this.attempt(() => window.lab.savePreset({ preset: clone(this.draft), id: this.selectedId! }), 'Saved.');
    if (saved) await this.afterSave(saved);
  }

  async saveAs(name: string): Promise<void> {
    if (!this.draft) return;
    const saved = await this.attempt(() => window.lab.savePreset({ preset: { ...clone(this.draft!), name } }), `Saved as “${name}”.`);
    if (saved) await this.afterSave(saved);
  }

  async rename(name: string): Promise<void> {
    if (!this.selectedId) return;
    const saved = await this.attempt(() => window.lab.renamePreset({ id: this.selectedId!, name }), `Renamed to “${name}”.`);
    if (saved) await this.afterSave(saved);
  }

  async duplicate(entry: PresetEntry): Promise<void> {
    const saved = await this.attempt(() => window.lab.duplicatePreset({ id: entry.id }), 'Duplicated.');
    if (saved) await this.afterSave(saved, true);
  }

  async remove(entry: PresetEntry): Promise<void> {
    if ((await this.attempt(() => window.lab.deletePreset({ id: entry.id }), `Deleted “${entry.title}”.`)) === null) {
      if (this.selectedId === entry.id) this.selectedId = null;
      await this.refresh();
    }
  }

  async importPreset(): Promise<void> {
    const saved = await this.attempt(() => window.lab.importPreset(undefined));
    if (saved) {
      this.notice = { kind: 'info', text: `Imported “${saved.title}”.` };
      await this.afterSave(saved, true);
    }
  }

  async exportPreset(): Promise<void> {
    if (!this.draft) return;
    const file = await this.attempt(() => window.lab.exportPreset({ preset: clone(this.draft), suggestedName: `${this.draft!.name}.json` }));
    if (file) this.notice = { kind: 'info', text: `Exported to ${file}` };
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
    const preset = clone(this.draft);
    const record = await this.attempt(() => window.lab.startRun({ preset, backend: this.backend, workers: this.workers }));
    if (!record) return;
    this.view = {
      runId: record.id, name: record.name, live: true, status: 'running', info: null, preset, models: [], result: null, log: [],
      stepsPerSecond: 0, etaSeconds: null, modelsDone: 0, version: 0,
    };
    this.screen = 'run';
    this.runs = await window.lab.listRuns(undefined);
  }

  async stop(): Promise<void> {
    if (this.view?.live) await this.attempt(() => window.lab.stopRun({ runId: this.view!.runId }), 'Stopping…');
  }

  async openRun(record: RunRecord): Promise<void> {
    const stored = await this.attempt(() => window.lab.getRun({ id: record.id }));
    if (!stored) return;
    const result = stored.result;
    this.view = {
      runId: record.id, name: record.name, live: false, status: stored.record.status, info: null, preset: stored.preset,
      models: result ? result.models.map(rowOf) : [], result, log: stored.log.split('\n').filter(Boolean),
      stepsPerSecond: 0, etaSeconds: null, modelsDone: result?.models.length ?? 0, version: 1,
    };
    this.screen = 'results';
  }

  async deleteRun(record: RunRecord): Promise<void> {
    if ((await this.attempt(() => window.lab.deleteRun({ id: record.id }), 'Run deleted.')) === null) {
      if (this.view?.runId === record.id) this.view = null;
      this.runs = await window.lab.listRuns(undefined);
    }
  }

  async exportLog(): Promise<void> {
    if (!this.view) return;
    const file = await this.attempt(() => window.lab.exportLog({ id: this.view!.runId }));
    if (file) this.notice = { kind: 'info', text: `Log exported to ${file}` };
  }

  async exportData(format: 'csv' | 'json'): Promise<void> {
    if (!this.view) return;
    const file = await this.attempt(() => window.lab.exportData({ id: this.view!.runId, format }));
    if (file) this.notice = { kind: 'info', text: `${format.toUpperCase()} exported to ${file}` };
  }

  async exportAll(): Promise<void> {
    if (!this.view) return;
    const dir = await this.attempt(() => window.lab.exportAllCharts({ id: this.view!.runId }));
    if (dir) this.notice = { kind: 'info', text: `Charts, CSV, JSON and log exported to ${dir}` };
  }

  private onMessage(message: RunMessage): void {
    const view = this.view;
    if (message.kind === 'stored') {
      void window.lab.listRuns(undefined).then((runs) => { this.runs = runs; });
      if (view?.runId === message.runId) {
        this.view = { ...view, live: false, status: message.record.status };
        this.notice = message.record.error ? { kind: 'error', text: `The run failed: ${message.record.error}` }
          : { kind: 'info', text: `Run ${message.record.status}.` };
      }
      return;
    }
    if (!view || view.runId !== message.runId) return;
    const event = message.event;
    switch (event.type) {
      case 'started':
        this.view = {
          ...view, info: event.info,
          models: event.info.models.map((m) => ({ ...m, curves: emptyCurves(), params: [], lossFinal: null, status: 'waiting', step: 0, lossVal: NaN })),
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
          models[p.id] = { ...row, step: p.step, lossVal: p.lossVal, params: p.params, status: row.status === 'waiting' ? 'running' : row.status };
        }
        this.view = { ...view, models, stepsPerSecond: event.stepsPerSecond, etaSeconds: event.etaSeconds, modelsDone: event.modelsDone, version: view.version + 1 };
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
