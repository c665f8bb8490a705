// The runs kept, as the history lists them and the runs table orders them, and comparing them: the
// runs ticked, their presets (how two differ), and the runs opened side by side.
import { MAX_COMPARED, type RunRecord } from '../../../../core/ipc/contract.ts';
import type { Preset } from '../../../../core/preset/preset.ts';
import { DEFAULT_ORDER, type RunOrder } from '../runs-table.ts';
import { page } from './page.svelte.ts';
import { storedView, type RunView } from './run-view.ts';

/** Whether a run can be compared (or its preset set against another's): it has ended, with results kept. */
export const comparable = (r: RunRecord) => r.status !== 'running' && r.status !== 'failed';

class RunHistory {
  runs = $state<RunRecord[]>([]);
  /** The runs table's order, kept while other screens are shown. */
  order = $state<RunOrder>(DEFAULT_ORDER);
  /** Runs ticked in the history for comparing, in the order ticked. */
  compareIds = $state<string[]>([]);
  /** The presets runs were started from, by run id, read when first ticked (a run's preset never changes). */
  presets = $state.raw<Record<string, Preset>>({});
  /** The runs compared side by side (null: none open). */
  comparison = $state.raw<RunView[] | null>(null);

  /** Lists the runs again (one started, stored or deleted). */
  async relist(): Promise<void> {
    this.runs = await window.lab.listRuns();
  }

  /** Ticks a run in the history for comparing, or unticks it. */
  toggleCompare(id: string): void {
    this.compareIds = this.compareIds.includes(id)
      ? this.compareIds.filter((k) => k !== id)
      : [...this.compareIds, id].slice(-MAX_COMPARED);
  }

  /** Reads the presets of these runs not read yet. */
  async needPresets(ids: string[]): Promise<void> {
    const missing = ids.filter((id) => !this.presets[id]);
    if (!missing.length) return;
    const read = await page.attempt(() => Promise.all(missing.map((id) => window.lab.getRunPreset({ id }))));
    if (read === 'failed') return;
    this.presets = { ...this.presets, ...Object.fromEntries(missing.map((id, k) => [id, read.value[k]])) };
  }

  /** Opens the ticked runs side by side (in the order they were ticked). */
  async compare(): Promise<void> {
    const ids = this.compareIds;
    const opened = await page.attempt(() => Promise.all(ids.map((id) => window.lab.getRun({ id }))));
    if (opened === 'failed') return;
    const views = opened.value.map(storedView);
    const empty = views.filter((v) => !v.result);
    if (empty.length) return page.say('error', `${empty.map((v) => `“${v.name}”`).join(', ')} kept no results to compare.`);
    this.comparison = views;
    page.screen = 'compare';
  }
}

export const runHistory = new RunHistory();
