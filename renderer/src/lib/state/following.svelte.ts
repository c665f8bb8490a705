// The model followed across the charts and the models table (core/charts/highlight.ts), for the run it
// was picked in: the Run and Results screens of that run share it, another run follows none.
class Following {
  private picked = $state<{ runId: string; model: number } | null>(null);

  /** The model followed in this run, if any. */
  modelOf(runId: string): number | null {
    return this.picked?.runId === runId ? this.picked.model : null;
  }

  /** Follows a model of this run (null: stops following). */
  follow(runId: string, model: number | null): void {
    this.picked = model === null ? null : { runId, model };
  }
}

export const following = new Following();
