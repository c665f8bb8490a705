// Exporting the run on screen: its log, its data (curves, JSON result, table, a line per model), all of
// it at once, or one chart — of the run, or of the runs compared — to a file or the clipboard. Main
// writes the files from the stored run; these ask for them and say where they went. An animation is
// drawn and encoded here in the window (its snapshots read from the run's folder), and main saves its bytes.
import type { ChartKind } from '../../../../core/charts/kinds.ts';
import type { AnimationFormat, Args, DataFormat } from '../../../../core/ipc/contract.ts';
import { page } from './page.svelte.ts';
import { runHistory } from './run-history.svelte.ts';
import { run } from './run.svelte.ts';

/** Runs an export of a run (by default the one on screen) and says where it went; false when it failed or the dialog was cancelled. */
async function exportRun(
  exporting: (id: string) => Promise<string | null>,
  said: (where: string) => string,
  runId = run.view?.runId,
): Promise<boolean> {
  if (!runId) return false;
  const done = await page.attempt(() => exporting(runId));
  if (done === 'failed' || !done.value) return false;
  page.say('info', said(done.value));
  return true;
}

export function exportLog(): Promise<boolean> {
  return exportRun(
    (id) => window.lab.exportLog({ id }),
    (file) => `Log exported to ${file}`,
  );
}

export function exportData(format: DataFormat): Promise<boolean> {
  const what = { csv: 'Curves', json: 'JSON result', table: 'Table', jsonl: 'One line per model' }[format];
  return exportRun(
    (id) => window.lab.exportData({ id, format }),
    (file) => `${what} exported to ${file}`,
  );
}

export function exportAll(): Promise<boolean> {
  return exportRun(
    (id) => window.lab.exportAllCharts({ id }),
    (dir) => `Charts, CSV, JSON and log exported to ${dir}`,
  );
}

/** Exports a chart of the run on screen (some of its groups), or of the runs compared. */
export function exportChart(
  request: Omit<Args<'exportChart'>, 'id' | 'compareWith'> & { kind: ChartKind },
  comparing = false,
): Promise<boolean> {
  const [first, ...others] = comparing ? (runHistory.comparison ?? []) : [];
  const compareWith = others.map((v) => v.runId);
  return exportRun(
    (id) => window.lab.exportChart({ ...request, id, ...(first ? { compareWith } : {}) }),
    (where) => (where === 'clipboard' ? 'Chart copied to the clipboard.' : `Chart saved to ${where}`),
    first?.runId,
  );
}

/** Saves an animation of the run on screen, its file's bytes already encoded; false when it failed or the dialog was cancelled. */
export function saveAnimation(format: AnimationFormat, bytes: Uint8Array): Promise<boolean> {
  return exportRun(
    (id) => window.lab.saveAnimation({ id, format, bytes }),
    (file) => `Animation saved to ${file}`,
  );
}
