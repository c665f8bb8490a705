// "Export all": one folder for a run — every chart as PNG (1920×1080) and SVG (a sweep's heatmap
// too), the curves as CSV, the per-group (per-cell) table as CSV, one JSON line per model, the JSON
// result and the .out log. Each file is written atomically (a link planted where it goes is replaced, not
// followed), into a folder of the run's name that is a real folder inside the one chosen.
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../../core/results/events.ts';
import { slug, writeAtomic, writeJsonStreamed } from '../storage/files.ts';
import { chartDataOf } from '../../core/charts/data.ts';
import { CHART_KINDS, SNAPSHOT_CHART_KINDS, SWEEP_CHART_KINDS } from '../../core/charts/kinds.ts';
import { CHART_FORMATS, EXPORT_DEFAULTS } from '../../core/charts/request.ts';
import { renderChart } from './charts.ts';
import { curvesCsv } from './csv.ts';
import { modelsJsonl, summaryCsv } from './tables.ts';

export async function exportRunFolder(result: RunResult, name: string, log: string, parent: string): Promise<string> {
  const dir = join(parent, slug(name));
  await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const found = await lstat(dir); // a link to a folder elsewhere would take every file there
  if (!found.isDirectory()) throw new Error(`${dir} is ${found.isSymbolicLink() ? 'a link' : 'a file'}, not a folder: nothing was written`);
  const data = chartDataOf(result);
  const { theme, ...size } = EXPORT_DEFAULTS;
  // the kink paths and the landscape need the snapshots, which the run's folder keeps apart: `lab chart` and `lab landscape` draw them
  const kinds = CHART_KINDS.filter(
    (k) =>
      !(SNAPSHOT_CHART_KINDS as readonly string[]).includes(k) && (result.sweep || !(SWEEP_CHART_KINDS as readonly string[]).includes(k)),
  );
  for (const kind of kinds) {
    for (const format of CHART_FORMATS) {
      const image = await renderChart(data, { kind, format, ...size, options: { theme } });
      await writeAtomic(join(dir, `${kind}.${format}`), image);
    }
  }
  await writeAtomic(join(dir, 'curves.csv'), curvesCsv(result));
  await writeAtomic(join(dir, 'table.csv'), summaryCsv(result));
  await writeAtomic(join(dir, 'models.jsonl'), modelsJsonl(result));
  await writeJsonStreamed(join(dir, 'result.json'), result, 'models');
  if (log) await writeAtomic(join(dir, 'run.out'), log); // a run can end before it logs
  return dir;
}
