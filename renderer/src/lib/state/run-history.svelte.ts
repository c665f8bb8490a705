// The runs kept, as the history lists them, and comparing them: the runs ticked, and those opened
// side by side.
import { MAX_COMPARED, type RunRecord } from '../../../../core/ipc/contract.ts';
import { page } from './page.svelte.ts';
import { storedView, type RunView } from './run-view.ts';

class RunHistory {
  runs = $state<RunRecord[]>([]);
  /** Runs ticked in the history for comparing, in the order ticked. */
  compareIds = $state<string[]>([]);
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
