// The timeline of the run on screen once it has ended: the snapshots of the models its charts draw,
// read from the run's folder as the charts ask for them, and the cursor — the step every chart shows,
// or null for the run as it ended.
import { modelName, type Snapshots } from '../../../../core/results/snapshots.ts';
import { page } from './page.svelte.ts';
import type { RunView } from './run-view.ts';

class Timeline {
  /** The step the charts show; null: the end (each model as it ended). */
  step = $state<number | null>(null);
  /** The snapshots read so far, by model id: raw, as they are never changed, only replaced. */
  snapshots = $state.raw<ReadonlyMap<number, Snapshots>>(new Map());
  /** Why the run kept no snapshots, once it is known that it kept none. */
  none = $state<string | null>(null);
  /** The run these are of (the cursor's too); the models asked for already (read or being read). */
  private runId = $state<string | null>(null);
  private asked = new Set<number>();

  /** The cursor where it is of this run, else null (the end). */
  stepOf(view: RunView): number | null {
    return view.runId === this.runId ? this.step : null;
  }

  /** The snapshots read of this run's models, by model id. */
  snapshotsOf(view: RunView): ReadonlyMap<number, Snapshots> {
    return view.runId === this.runId ? this.snapshots : new Map();
  }

  /** Reads the snapshots of these models of `view` (an ended run) not asked for yet; another run starts afresh. */
  async need(view: RunView, ids: readonly number[]): Promise<void> {
    if (view.runId !== this.runId) {
      this.runId = view.runId;
      this.asked = new Set();
      this.snapshots = new Map();
      this.none = null;
      this.step = null;
    }
    const wanted = view.models.filter((m) => ids.includes(m.id) && !this.asked.has(m.id));
    if (!wanted.length || this.none) return;
    for (const m of wanted) this.asked.add(m.id);
    const runId = view.runId;
    const answer = await page.attempt(() => window.lab.getSnapshots({ id: runId, models: wanted.map(modelName) }));
    if (answer === 'failed' || runId !== this.runId) return;
    const { models, none } = answer.value;
    this.none = none;
    const read = wanted.flatMap((m) => (models[modelName(m)] ? [[m.id, models[modelName(m)]] as const] : []));
    this.snapshots = new Map([...this.snapshots, ...read]); // a new map: the charts hear of it
  }
}

export const timeline = new Timeline();
