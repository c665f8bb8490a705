// The README's loss landscape (docs/images/landscape.png): the seed's escaping wide model that ended
// lowest, on the plane of its trajectory's two principal directions, its path drawn, as a 1920×1080 slide.
import { writeFileSync } from 'node:fs';
import { chartDataOf } from '../../core/charts/data.ts';
import type { RunResult } from '../../core/results/events.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import { experimentOf } from '../../electron/engine/experiment.ts';
import { landscapeOf } from '../../electron/engine/landscape.ts';
import { renderChart } from '../../electron/exports/charts.ts';

export async function writeLandscapeImage(result: RunResult, snapshots: ReadonlyMap<number, Snapshots>, images: string): Promise<void> {
  const escaped = result.models.filter((m) => m.groupIndex === 1 && m.outcome === 'escaped' && snapshots.has(m.id));
  const model = escaped.sort((a, b) => (a.lossFinal ?? Infinity) - (b.lossFinal ?? Infinity))[0];
  const landscape = landscapeOf(
    experimentOf(result.preset),
    { ...model, snapshots: snapshots.get(model.id)! },
    { directions: 'pca', grid: 101, seed: 0 },
  );
  const png = await renderChart(
    { ...chartDataOf(result), landscape },
    { kind: 'landscape', format: 'png', width: 1920, height: 1080, pixelRatio: 1, options: { theme: 'light' } },
  );
  writeFileSync(`${images}landscape.png`, png);
  process.stderr.write(`wrote docs/images/landscape.png (${landscape.model})\n`);
}
