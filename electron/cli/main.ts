// `lab`: the headless Minima Lab. `lab run <preset.json>` trains a preset, writes its .out log to
// stdout (and --out), its JSON result to --json, and ends with a summary table.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { loadPresetFile } from '../engine/preset-file.ts';
import { parsePreset, PresetError } from '../engine/preset.ts';
import { Run } from '../engine/run.ts';
import { summaryTable } from '../engine/summary.ts';
import { parseCommand, UsageError, USAGE } from './args.ts';
import { progressBar } from './progress.ts';

async function main(argv: string[]): Promise<number> {
  const cmd = parseCommand(argv);
  const loaded = await loadPresetFile(cmd.preset);
  const preset = parsePreset({
    ...loaded,
    seed: cmd.seed ?? loaded.seed,
    rng: cmd.rng ?? loaded.rng,
    stop: { ...loaded.stop, maxSteps: cmd.maxSteps ?? loaded.stop.maxSteps },
  }, `${cmd.preset} (with command-line overrides)`);
  const outFd = cmd.out ? openSync(cmd.out, 'w') : null;
  const bar = progressBar(process.stderr, preset.groups.reduce((n, g) => n + g.models, 0));
  const run = new Run(preset, {
    backend: cmd.backend,
    workers: cmd.workers,
    onEvent: (event) => {
      if (event.type === 'log') {
        process.stdout.write(`${event.line}\n`);
        if (outFd !== null) writeSync(outFd, `${event.line}\n`); // as the run goes: an interrupted run leaves a valid prefix
      }
      bar(event);
    },
  });
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
    run.stop();
  });
  const result = await run.start();
  if (outFd !== null) closeSync(outFd);
  if (cmd.json) writeFileSync(cmd.json, `${JSON.stringify(result)}\n`);
  process.stdout.write(`\n${summaryTable(result.summary, result.plateaus, preset.stop.lossLimit)}\n`);
  return result.stopped ? 130 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`lab: ${err.message}\n${USAGE}\n`);
  else if (err instanceof PresetError) process.stderr.write(`lab: ${err.message}\n`);
  else process.stderr.write(`lab: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof UsageError || err instanceof PresetError ? 2 : 1);
});
