// What the renderer does once, on launch: sizes the Workers field to the machine, listens for run
// messages, reads the settings and the lists, opens the preset open last time and the newest run (on the
// Run and Results screens), and from then on refuses a reload or close that would drop unsaved edits
// until the user agrees (Chromium asks; in the app, main does: electron/window/unsaved.ts).
import { MAX_WORKERS } from '../../../../core/preset/preset.ts';
import { library } from './library.svelte.ts';
import { run } from './run.svelte.ts';

export async function startLab(): Promise<void> {
  window.addEventListener('beforeunload', (event) => {
    if (library.dirty) event.preventDefault();
  });
  const machine = await window.lab.machine();
  run.workers = Math.min(machine.cores, MAX_WORKERS); // a run asks for at most MAX_WORKERS
  window.lab.onRunEvent((m) => run.receive(m));
  const [settings] = await Promise.all([window.lab.getSettings(), library.refresh()]);
  run.redisUrl = settings.redisUrl ?? '';
  library.openFirst(settings.lastPresetId);
  await run.reopenNewest();
}
