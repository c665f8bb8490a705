// Charts of chosen groups: some cells of a sweep overlaid, or the groups of several runs side by side.
// Either way the chosen groups become the groups of one chart data, numbered afresh, so each gets its own
// colour family and one legend entry; a compared group keeps its run's name and step cap (`origins`).
import type { Plateaus } from '../model/plateaus.ts';
import type { Group } from '../preset/preset.ts';
import { capOf, type ChartData, type ChartModel, type GroupOrigin } from './data.ts';
import { cellLabel } from './series.ts';

export interface Part {
  data: ChartData;
  /** The groups to take, in this order (all of them when absent). */
  groups?: string[];
  /** Put before each group's name (a run's name when runs are compared). */
  prefix?: string;
}

/** Whether two runs' reference levels are the same (same target on the same grid): within rounding. */
function sameLevels(a: Plateaus, b: Plateaus): boolean {
  const close = (x: number | undefined, y: number | undefined) =>
    x === y || (x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.abs(x));
  return close(a.line, b.line) && close(a.constant, b.constant) && close(a.zero, b.zero);
}

/**
 * One chart data of the parts' chosen groups. Reference lines stay only where every part has the same
 * levels and loss limit; the preset's step cap is the largest, each compared group keeping its run's own
 * (capOf). A sweep's cell names stay readable through `sweep` when there is one part.
 */
export function combine(parts: Part[]): ChartData {
  const first = parts[0].data;
  const groups: Group[] = [];
  const models: ChartModel[] = [];
  const origins: (GroupOrigin | undefined)[] = [];
  const caps: number[] = [];
  for (const part of parts) {
    const names = part.groups ?? part.data.preset.groups.map((g) => g.name);
    for (const name of names) {
      const from = part.data.preset.groups.findIndex((g) => g.name === name);
      if (from < 0) continue;
      const groupIndex = groups.length;
      const renamed = part.prefix ? `${part.prefix} · ${cellLabel(part.data.sweep, name) ?? name}` : name;
      groups.push({ ...part.data.preset.groups[from], name: renamed });
      // chosen again from runs already compared (an export of some of their groups), a group keeps its run
      caps.push(capOf(part.data, from));
      origins.push(part.prefix ? { run: part.prefix, maxSteps: caps[groupIndex] } : part.data.origins?.[from]);
      for (const m of part.data.models) {
        if (m.groupIndex === from) models.push({ ...m, id: models.length, group: renamed, groupIndex });
      }
    }
  }
  const references = parts.every(
    (p) =>
      p.data.references !== false &&
      sameLevels(p.data.plateaus, first.plateaus) &&
      p.data.preset.stop.lossLimit === first.preset.stop.lossLimit,
  );
  const maxSteps = caps.length ? Math.max(...caps) : first.preset.stop.maxSteps;
  return {
    preset: { ...first.preset, groups, stop: { ...first.preset.stop, maxSteps } },
    plateaus: first.plateaus,
    models,
    sweep: parts.length === 1 ? first.sweep : null,
    references,
    ...(origins.length && origins.every((o): o is GroupOrigin => o !== undefined) ? { origins } : {}),
  };
}

/** How compared runs are named in legends and tables: "1. Seed: narrow SGD vs wide…", numbered as ticked. */
export function runLabels(names: string[]): string[] {
  return names.map((name, k) => `${k + 1}. ${name.length > 28 ? `${name.slice(0, 27)}…` : name}`);
}
