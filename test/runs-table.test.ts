// The runs table's order and cells: a heading sorts by its column, again the other way round; runs
// with nothing to sort by (a run still going, one stored before its record kept it) stay last.
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/ipc/contract.ts';
import { COLUMNS, DEFAULT_ORDER, nextOrder, sortedRuns } from '../renderer/src/lib/runs-table.ts';

const record = (id: string, startedAt: string, more: Partial<RunRecord> = {}): RunRecord => ({
  id,
  name: id,
  presetId: null,
  edited: false,
  startedAt,
  backend: 'fused',
  models: 20,
  status: 'finished',
  queue: null,
  error: null,
  ...more,
});

const runs = [
  record('monday', '2025-11-24T09:00:00.000Z', { modelsKept: 20, reached: { k: 12, n: 20 }, lossFinalBest: 0.0049 }),
  record('tuesday', '2025-11-25T09:00:00.000Z', { status: 'stopped', modelsKept: 5, reached: { k: 3, n: 4 }, lossFinalBest: 0.0012 }),
  record('older', '2025-11-20T09:00:00.000Z', { modelsKept: 20 }), // stored before records kept what was reached
  record('today', '2025-11-28T09:00:00.000Z', { status: 'running' }),
];
const ids = (order: Parameters<typeof sortedRuns>[1]) => sortedRuns(runs, order).map((r) => r.id);

describe('the runs table', () => {
  it('opens newest first, as the history lists runs', () => {
    expect(ids(DEFAULT_ORDER)).toEqual(['today', 'tuesday', 'monday', 'older']);
  });

  it('sorts by a column and back, runs with nothing to sort by last either way', () => {
    expect(ids({ column: 'reached', descending: true })).toEqual(['tuesday', 'monday', 'today', 'older']); // 75 % over 60 %
    expect(ids({ column: 'reached', descending: false })).toEqual(['monday', 'tuesday', 'today', 'older']);
    expect(ids({ column: 'best', descending: false })).toEqual(['tuesday', 'monday', 'today', 'older']);
    expect(ids({ column: 'models', descending: false })).toEqual(['tuesday', 'today', 'monday', 'older']); // ties newest first
    expect(ids({ column: 'status', descending: false })).toEqual(['monday', 'older', 'today', 'tuesday']);
  });

  it('turns a column round on a second click; another column starts its natural way', () => {
    expect(nextOrder(DEFAULT_ORDER, 'when')).toEqual({ column: 'when', descending: false });
    expect(nextOrder(DEFAULT_ORDER, 'best')).toEqual({ column: 'best', descending: false }); // lowest loss first
    expect(nextOrder(DEFAULT_ORDER, 'reached')).toEqual({ column: 'reached', descending: true }); // most reached first
    expect(nextOrder({ column: 'best', descending: false }, 'best')).toEqual({ column: 'best', descending: true });
  });

  it('says how many models a run kept and reached, and a dash where its record does not say', () => {
    const [monday, tuesday, older] = runs;
    expect(COLUMNS.models.text(tuesday)).toBe('5 of 20');
    expect(COLUMNS.models.text(monday)).toBe('20');
    expect(COLUMNS.reached.text(tuesday)).toBe('3 of 4 (75 %)');
    expect(COLUMNS.reached.text(older)).toBe('–');
    expect(COLUMNS.best.text(tuesday)).toBe('0.0012');
    expect(COLUMNS.best.text(older)).toBe('–');
  });
});
