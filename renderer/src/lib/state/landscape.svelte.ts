// The loss landscape around one model of the run on screen, as the landscape panel asks for it: the
// model's snapshot steps (the plane is centred on a snapshot), then the plane, computed by main in a
// worker thread. Only the latest question's answer is kept: one that comes after the user asked for
// another model or other directions is dropped. Its failure is kept as one line for the panel to show.
import type { Args } from '../../../../core/ipc/contract.ts';
import type { Landscape } from '../../../../core/results/landscape.ts';
import { modelName, snapshotIndexAt, type Snapshots } from '../../../../core/results/snapshots.ts';
import type { ChartModel } from '../../../../core/charts/data.ts';

/** Which plane around which model: the `landscape` call's request, as the export of its charts takes it too. */
export type LandscapeRequest = Omit<Args<'landscape'>, 'id'>;
/** The plane's own choices; the model and its step are picked apart. */
export type PlaneChoices = Pick<LandscapeRequest, 'directions' | 'grid' | 'span' | 'seed'>;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

class LandscapeState {
  /** The plane shown, and the request it answers. */
  plane = $state.raw<Landscape | null>(null);
  request = $state.raw<LandscapeRequest | null>(null);
  /** The picked model's snapshot steps (null: not read yet, or it has none). */
  steps = $state.raw<number[] | null>(null);
  computing = $state(false);
  /** Why the last question got no plane, in main's words. */
  error = $state<string | null>(null);
  /** The latest question: an answer to an earlier one is stale. */
  private asked = 0;

  /**
   * Opens `model` of run `runId`: its snapshot steps (read from the run folder unless the timeline has read
   * them), then the plane at the one at or before `cursor` (the timeline's; null: its last).
   */
  async open(runId: string, model: ChartModel, cursor: number | null, choices: PlaneChoices): Promise<void> {
    const ticket = this.begin();
    this.steps = null;
    let kept: Snapshots | null = model.snapshots ?? null;
    if (!kept) {
      try {
        const name = modelName(model);
        kept = (await window.lab.getSnapshots({ id: runId, models: [name] })).models[name] ?? null;
      } catch (err) {
        if (ticket === this.asked) this.fail(messageOf(err));
        return;
      }
      if (ticket !== this.asked) return;
    }
    this.steps = kept?.step.length ? kept.step : null;
    // without snapshots main is still asked: its answer says why there is no plane, as lab landscape says it
    const step = kept?.step.length ? kept.step[cursor === null ? kept.step.length - 1 : snapshotIndexAt(kept, cursor)] : undefined;
    await this.ask(ticket, runId, { model: modelName(model), step, ...choices });
  }

  /** The plane for another request about the same model (another step or other directions). */
  async compute(runId: string, request: LandscapeRequest): Promise<void> {
    await this.ask(this.begin(), runId, request);
  }

  /** Forgets the plane (the panel closed): an answer still on its way is dropped. */
  close(): void {
    this.begin();
    this.computing = false;
    this.plane = null;
    this.request = null;
    this.steps = null;
  }

  private begin(): number {
    this.computing = true;
    this.error = null;
    return ++this.asked;
  }

  private async ask(ticket: number, runId: string, request: LandscapeRequest): Promise<void> {
    try {
      const plane = await window.lab.landscape({ id: runId, ...request });
      if (ticket !== this.asked) return;
      this.plane = plane;
      this.request = request;
      this.computing = false;
    } catch (err) {
      if (ticket === this.asked) this.fail(messageOf(err));
    }
  }

  private fail(message: string): void {
    this.error = message;
    this.plane = null;
    this.request = null;
    this.computing = false;
  }
}

export const landscape = new LandscapeState();
