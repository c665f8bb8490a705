// The progress bar on stderr: models done, steps per second, ETA. Drawn only on a terminal.
import type { RunEvent } from '../../core/results/events.ts';
import { duration } from '../../core/results/format.ts';

export function progressBar(stream: { write(text: string): unknown; isTTY?: boolean }, totalModels: number): (event: RunEvent) => void {
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
