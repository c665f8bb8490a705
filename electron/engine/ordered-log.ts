// Keeps the .out log in the seed's order whatever order the workers finish in: lines of the model
// at the cursor go out at once, later models' lines wait until every model before them is done.
// While a run goes, what has gone out is always a prefix of the complete log. A shard's log holds its
// own models only (ids with gaps), each group's header before the first of them.
import type { ModelRef } from '../../core/results/events.ts';
import { logLine } from './log-format.ts';

export class OrderedLog {
  /** The position in `models` whose lines go out as they come. */
  private cursor = 0;
  private readonly at: Map<number, number>;
  private readonly pending: string[][];
  private readonly done: boolean[];
  /** The model at the cursor opens a group whose header has not gone out: it goes out with the group's first line. */
  private headerDue = false;

  /** `emit` gets each line with the id of the model it is about (null for a group's header). */
  constructor(
    private readonly models: ModelRef[],
    private readonly emit: (line: string, model: number | null) => void,
  ) {
    this.at = new Map(models.map((m, k) => [m.id, k]));
    this.pending = models.map(() => []);
    this.done = models.map(() => false);
    this.enter();
  }

  line(id: number, line: string): void {
    const k = this.at.get(id)!;
    if (k === this.cursor) this.out(line, id);
    else this.pending[k].push(line);
  }

  finished(id: number): void {
    this.done[this.at.get(id)!] = true;
    while (this.cursor < this.models.length && this.done[this.cursor]) {
      this.cursor++;
      this.enter();
    }
  }

  /** At the end of a stopped run: writes what every model that ran has logged, skipping those that never started. */
  close(): void {
    for (let k = this.cursor; k < this.models.length; k++) this.finished(this.models[k].id);
  }

  /**
   * The cursor arrives at a model: what it has logged so far goes out. Every model logs its lossInit first,
   * so a group's header still opens it as in the seed; a stopped run names no group it never started.
   */
  private enter(): void {
    const ref = this.models[this.cursor];
    if (!ref) return;
    if (this.cursor === 0 || this.models[this.cursor - 1].groupIndex !== ref.groupIndex) this.headerDue = true;
    for (const line of this.pending[this.cursor]) this.out(line, ref.id);
    this.pending[this.cursor] = [];
  }

  private out(line: string, id: number): void {
    if (this.headerDue) this.emit(logLine.groupHeader(this.models[this.cursor].group), null);
    this.headerDue = false;
    this.emit(line, id);
  }
}
