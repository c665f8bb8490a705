// A run's statistics per group (a sweep's per cell): as an aligned text table for the terminal, as CSV
// for a spreadsheet, and one JSON line per model for pandas or R.
import type { ModelResult, RunResult } from '../../core/results/events.ts';
import { OUTCOMES, plateauLevels } from '../../core/model/plateaus.ts';
import { commonClusters, keptOf, medianStepsText, rateText, steps } from '../../core/results/format.ts';
import type { Proportion } from '../../core/results/stats.ts';
import type { GroupSummary } from '../../core/results/summary.ts';
import type { SweepCell } from '../../core/preset/sweep.ts';
import { formatFloat32 } from '../engine/log-format.ts';
import { cell } from './csv.ts';
import { printable } from '../../core/preset/problems.ts';

/** The outcomes other than reaching the limit or escaping the line plateau, as the tables name them. */
const ELSEWHERE = OUTCOMES.filter((o) => o !== 'reached' && o !== 'escaped');

/** Each group's place in the sweep (null outside one), and the columns that name it. */
function placesOf(result: RunResult): {
  /** Column headings as a person reads them, and as a program does (the fields' own names). */
  heads: string[];
  keys: string[];
  names: (s: GroupSummary) => string[];
  cells: Map<string, SweepCell>;
} {
  const sweep = result.sweep;
  if (!sweep) return { heads: ['group'], keys: ['group'], names: (s) => [s.group], cells: new Map() };
  const cells = new Map(sweep.cells.map((c) => [c.group, c]));
  const bases = sweep.bases.length > 1;
  return {
    heads: [...(bases ? ['group'] : []), ...sweep.axes.map((a) => a.title)],
    keys: ['cell', ...(bases ? ['group'] : []), ...sweep.axes.map((a) => a.field)],
    names: (s) => {
      const c = cells.get(s.group)!;
      return [...(bases ? [c.base] : []), ...c.at.map((v, a) => sweep.axes[a].labels[v])];
    },
    cells,
  };
}

/** The levels the outcomes refer to, in one line above the table, and how stopped models count where there are any. */
function levelsLine(result: RunResult): string {
  const names = { line: 'best line', constant: 'best constant', zero: 'zero output' } as const;
  const levels = plateauLevels(result.plateaus).map(([k, v]) => `${names[k]} ${formatFloat32(v)}`);
  const { lossLimit, maxSteps } = result.preset.stop;
  const stopped = result.summary.some((s) => s.counts.stopped) ? '; stopped models: left out of the rates, censored in the steps' : '';
  return `loss limit ${lossLimit}; plateaus: ${levels.join(', ')}; steps capped at ${steps(maxSteps)}; intervals 95 % (Wilson; Kaplan–Meier)${stopped}`;
}

/** "5 at 0.0067, 2 at 0.0658, 1 at 0.0102, 2 other models". */
function clustersText(clusters: GroupSummary['clusters']): string {
  const { shown, others } = commonClusters(clusters);
  return [...shown.map((c) => `${c.count} at ${formatFloat32(c.loss)}`), ...(others ? [others] : [])].join(', ') || '-';
}

/** The summary as an aligned text table: per group, or per cell with a column per axis. */
export function summaryTable(result: RunResult): string {
  const { heads, names } = placesOf(result);
  const header = [
    ...heads,
    'models',
    'reached',
    'reach rate [95 % CI]',
    'median steps to reach [95 % CI]',
    'below line',
    'elsewhere',
    'final losses',
  ];
  const rows = result.summary.map((s) => [
    ...names(s).map(printable), // names saved before control characters were refused
    keptOf(s.planned, s.models),
    String(s.reach.k),
    rateText(s.reach),
    medianStepsText(s.stepsToReach, s.stepsSeen, s.reach.n),
    String(s.escape.k),
    ELSEWHERE.filter((o) => s.counts[o])
      .map((o) => `${o} ${s.counts[o]}`)
      .join(', ') || '-',
    clustersText(s.clusters),
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  return [levelsLine(result), '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const CSV_HEAD = [
  'models',
  'modelsPlanned',
  'reached',
  'reachRate',
  'reachLow',
  'reachHigh',
  'belowLine',
  'belowLineRate',
  'belowLineLow',
  'belowLineHigh',
  'medianSteps',
  'medianStepsLow',
  'medianStepsHigh',
  'medianBestLoss',
  'medianFinalLoss',
  ...ELSEWHERE,
];

const number = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(v));
const proportion = (p: Proportion) => [p.k, number(p.n ? p.k / p.n : null), number(p.low), number(p.high)];

/** The summary as CSV: one row per group (cell), its axis values as labelled, rates and intervals as numbers. */
export function summaryCsv(result: RunResult): string {
  const { keys, names } = placesOf(result);
  const rows = [[...keys, ...CSV_HEAD].map(cell).join(',')];
  for (const s of result.summary) {
    const t = s.stepsToReach;
    rows.push(
      [
        ...(result.sweep ? [s.group] : []),
        ...names(s),
        s.models,
        s.planned,
        ...proportion(s.reach),
        ...proportion(s.escape),
        number(t.median),
        number(t.low),
        number(t.high),
        number(s.lossBest),
        number(s.lossFinal),
        ...ELSEWHERE.map((o) => s.counts[o]),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}

/** One JSON object per model and line: its group (cell) and axis values, seed index, outcome, losses and steps. */
export function modelsJsonl(result: RunResult): string {
  const { cells } = placesOf(result);
  const axes = result.sweep?.axes ?? [];
  const row = (m: ModelResult) => {
    const c = cells.get(m.group);
    return JSON.stringify({
      group: m.group,
      ...(c ? { base: c.base, axes: Object.fromEntries(axes.map((a, k) => [a.field, a.values[c.at[k]]])) } : {}),
      model: m.index,
      outcome: m.outcome,
      status: m.status,
      steps: m.steps,
      lossFinal: m.lossFinal,
      lossBest: m.lossBest,
      lossInit: Number.isFinite(m.lossInit) ? m.lossInit : null,
    });
  };
  return result.models.map((m) => `${row(m)}\n`).join('');
}
