// Progress on stderr: on a terminal, a bar (models done, model-steps per second, ETA) drawn over itself; in a
// log, `lab submit`'s progress lines.
import type { RunEvent } from '../../core/results/events.ts';
import { duration } from '../../core/results/format.ts';
import type { QueueProgress } from '../queue/queue-run.ts';

interface ErrorStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function progressBar(stream: ErrorStream, totalModels: number): (event: RunEvent) => void {
  if (!stream.isTTY) return () => {};
  const width = 24;
  return (event) => {
    if (event.type === 'progress') {
      const filled = Math.round((event.modelsDone / totalModels) * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.modelsDone}/${totalModels} models  ` +
          `${Math.round(event.stepsPerSecond).toLocaleString('en-US')} model-steps/s  ETA ${duration(event.etaSeconds)}   `,
      );
    } else if (event.type === 'finished') {
      stream.write('\r\x1b[K');
    }
  };
}

/** Fewest milliseconds between two of `lab submit`'s progress lines in a log, but at a job's end. */
const LINE_MS = 10_000;

/**
 * `lab submit`'s progress in a log (a terminal has the bar): a line once its jobs are queued, at each job's
 * end, at the workers' first report, and at most every LINE_MS between while they report.
 */
export function queueProgressLines(stream: ErrorStream): (progress: QueueProgress) => void {
  if (stream.isTTY) return () => {};
  let [lastAt, lastJobs, rated] = [-Infinity, -1, false];
  return (p) => {
    const now = performance.now();
    if (p.jobsDone === lastJobs && (rated || p.stepsPerSecond === 0) && now - lastAt < LINE_MS) return;
    [lastAt, lastJobs, rated] = [now, p.jobsDone, rated || p.stepsPerSecond > 0];
    stream.write(`${queueProgressLine(p)}\n`);
  };
}

/** "jobs done: 3 / 12 (2 before this submit), models done: 11 / 36, 123,456 model-steps/s, ETA 1 min 5 s". */
function queueProgressLine(p: QueueProgress): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const before = p.jobsBefore ? ` (${p.jobsBefore} before this submit)` : '';
  const rate = p.stepsPerSecond > 0 ? `, ${count(Math.round(p.stepsPerSecond))} model-steps/s, ETA ${duration(p.etaSeconds)}` : '';
  return `jobs done: ${count(p.jobsDone)} / ${count(p.jobs)}${before}, models done: ${count(p.modelsDone)} / ${count(p.models)}${rate}`;
}
