// The runs table's columns and its order: what each column shows of a run's record and what it sorts
// by. Plain TypeScript: the Runs screen draws it, the fast tests sort with it.
import type { RunRecord } from '../../../core/ipc/contract.ts';
import { keptOf, percent } from '../../../core/results/format.ts';
import { formatLoss, when } from './format.ts';

export const RUN_COLUMNS = ['preset', 'when', 'status', 'models', 'reached', 'best'] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

/** A column's heading, its tooltip, what a cell says, and what it sorts by (null: nothing to sort by, always last). */
interface ColumnSpec {
  heading: string;
  title: string;
  text(r: RunRecord): string;
  key(r: RunRecord): string | number | null;
}

/** The order the table opens in: newest first, as the history lists runs. */
export const DEFAULT_ORDER: RunOrder = { column: 'when', descending: true };

export interface RunOrder {
  column: RunColumn;
  descending: boolean;
}

const reachRate = (r: RunRecord) => (r.reached?.n ? r.reached.k / r.reached.n : null);

export const COLUMNS: Record<RunColumn, ColumnSpec> = {
  preset: { heading: 'preset', title: 'The run’s name: its preset’s, or the one you gave it', text: (r) => r.name, key: (r) => r.name },
  when: { heading: 'when', title: 'When it started', text: (r) => when(r.startedAt), key: (r) => r.startedAt || null },
  status: { heading: 'status', title: 'How it ended', text: (r) => r.status, key: (r) => r.status },
  models: {
    heading: 'models',
    title: 'The models it kept, of those it was to train',
    text: (r) => keptOf(r.models, r.modelsKept),
    key: (r) => r.modelsKept ?? r.models,
  },
  reached: {
    heading: 'reached',
    title: 'Models that reached the loss limit, of those not stopped; sorted by the share',
    text: (r) => (r.reached?.n ? `${r.reached.k} of ${r.reached.n} (${percent(r.reached.k / r.reached.n)} %)` : '–'),
    key: reachRate,
  },
  best: {
    heading: 'best final loss',
    title: 'The lowest final validation loss of its models',
    text: (r) => formatLoss(r.lossFinalBest ?? null),
    key: (r) => r.lossFinalBest ?? null,
  },
};

/** The runs in `order`; runs with nothing to sort by last either way, ties newest first. */
export function sortedRuns(runs: readonly RunRecord[], order: RunOrder): RunRecord[] {
  const key = COLUMNS[order.column].key;
  const sign = order.descending ? -1 : 1;
  const newestFirst = (a: RunRecord, b: RunRecord) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);
  return [...runs].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) return x === y ? newestFirst(a, b) : x === null ? 1 : -1;
    const by = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * by || newestFirst(a, b);
  });
}

/** The order after a click on a column's heading: the other way round on the column sorted by, else that column its natural way (numbers and dates high first). */
export function nextOrder(order: RunOrder, column: RunColumn): RunOrder {
  if (order.column === column) return { column, descending: !order.descending };
  return { column, descending: column === 'when' || column === 'models' || column === 'reached' };
}
