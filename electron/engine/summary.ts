// Per-group summary of a run's results, and its text table for the CLI and the docs.
import { noOutcomes, type GroupSummary, type ModelResult } from '../../core/events.ts';
import { OUTCOMES, outcomeHeading, PLATEAU_TOLERANCE, type Plateaus } from '../../core/plateaus.ts';
import type { Preset } from '../../core/preset.ts';
import { formatFloat32 } from './log-format.ts';

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Groups sorted final losses into runs whose neighbours lie within PLATEAU_TOLERANCE of each other. */
export function clusterLosses(losses: number[]): GroupSummary['clusters'] {
  const sorted = losses.filter(Number.isFinite).sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const v of sorted) {
    const current = clusters[clusters.length - 1];
    if (current && v <= current[current.length - 1] * (1 + PLATEAU_TOLERANCE)) current.push(v);
    else clusters.push([v]);
  }
  return clusters
    .map((c) => ({ count: c.length, loss: median(c)!, min: c[0], max: c[c.length - 1] }))
    .sort((p, q) => q.count - p.count || p.loss - q.loss);
}

export function summarise(preset: Preset, models: ModelResult[]): GroupSummary[] {
  return preset.groups.map((g) => {
    const mine = models.filter((m) => m.group === g.name);
    const counts = noOutcomes();
    for (const m of mine) counts[m.outcome]++;
    return {
      group: g.name,
      models: mine.length,
      counts,
      medianStepsReached: median(mine.filter((m) => m.status === 'reached').map((m) => m.steps)),
      clusters: clusterLosses(mine.map((m) => m.lossFinal ?? NaN)),
    };
  });
}

/** The summary as an aligned text table. */
export function summaryTable(summary: GroupSummary[], plateaus: Plateaus, lossLimit: number): string {
  const header = [
    'group',
    'models',
    ...OUTCOMES.map((o) => outcomeHeading(o, plateaus, lossLimit, formatFloat32)),
    'median steps',
    'final losses',
  ];
  const rows = summary.map((s) => [
    s.group,
    String(s.models),
    ...OUTCOMES.map((o) => String(s.counts[o])),
    s.medianStepsReached === null ? '-' : String(s.medianStepsReached),
    s.clusters.map((c) => `${c.count} at ${formatFloat32(c.loss)}`).join(', ') || '-',
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
