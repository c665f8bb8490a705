// Keeps the .out log in the seed's order whatever order the workers finish in: lines of the model
// at the cursor go out at once, later models' lines wait until every model before them is done.
// While a run goes, what has gone out is always a prefix of the complete log.
import type { ModelRef } from '../../core/events.ts';
import { logLine } from './log-format.ts';

export class OrderedLog {
  private cursor = 0;
  private readonly pending: string[][];
  private readonly done: boolean[];

  constructor(
    private readonly models: ModelRef[],
    private readonly emit: (line: string) => void,
  ) {
    this.pending = models.map(() => []);
    this.done = models.map(() => false);
    this.enter();
  }

  line(id: number, line: string): void {
    if (id === this.cursor) this.emit(line);
    else this.pending[id].push(line);
  }

  finished(id: number): void {
    this.done[id] = true;
    while (this.cursor < this.models.length && this.done[this.cursor]) {
      this.cursor++;
      this.enter();
    }
  }

  /** At the end of a stopped run: writes what every model that ran has logged, skipping those that never started. */
  close(): void {
    for (let id = this.cursor; id < this.models.length; id++) this.finished(id);
  }

  /** The cursor arrives at a model: its group's header if it opens one, then what it has logged so far. */
  private enter(): void {
    const ref = this.models[this.cursor];
    if (!ref) return;
    if (ref.index === 0) this.emit(logLine.groupHeader(ref.group));
    for (const line of this.pending[this.cursor]) this.emit(line);
    this.pending[this.cursor] = [];
  }
}
