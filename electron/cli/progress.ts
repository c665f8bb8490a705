// The progress bar on stderr: models done, steps per second, ETA. Drawn only on a terminal.
import type { RunEvent } from '../../core/events.ts';

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

export function progressBar(stream: NodeJS.WriteStream, totalModels: number): (event: RunEvent) => void {
  if (!stream.isTTY) return () => {};
  const width = 24;
  return (event) => {
    if (event.type === 'progress') {
      const filled = Math.round((event.modelsDone / totalModels) * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.modelsDone}/${totalModels} models  ` +
          `${Math.round(event.stepsPerSecond).toLocaleString('en-US')} steps/s  ETA ${duration(event.etaSeconds)}   `,
      );
    } else if (event.type === 'finished') {
      stream.write('\r\x1b[K');
    }
  };
}
