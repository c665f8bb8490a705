// `lab`: the headless Minima Lab. Its commands, what each does and their options are in args.ts
// (COMMANDS), which `lab --help` prints; here each command does its work.
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HeatmapView } from '../../core/charts/heatmap-view.ts';
import { RESULT_FORMAT, RunResultSchema, type RunResult } from '../../core/events.ts';
import { loadPresetFile } from '../storage/preset-file.ts';
import { parsePreset, PresetError } from '../../core/preset-parse.ts';
import { RunRefused } from '../engine/budget.ts';
import { Run } from '../engine/run.ts';
import { gpuForAuto } from '../engine/webgpu/device.ts';
import { expandSweep } from '../../core/sweep.ts';
import { shownUrl } from '../../core/records.ts';
import { inShard, MergeError, mergeParts, ModelLines, partOf, ShardPartSchema, type ShardPart } from '../engine/shard.ts';
import { modelsJsonl, summaryCsv, summaryTable } from '../exports/tables.ts';
import { chartDataOf, renderChart } from '../exports/charts.ts';
import { curvesCsv } from '../exports/csv.ts';
import { fileProblem, readJson, writeAtomic, writeJsonStreamed } from '../storage/files.ts';
import { firstProblem } from '../../core/problems.ts';
import {
  parseCommand,
  UsageError,
  usageOf,
  type ChartCommand,
  type MergeCommand,
  type RunCommand,
  type SubmitCommand,
  type WorkerCommand,
} from './args.ts';
import { QueueError, QueueRun } from '../queue/queue-run.ts';
import { startWorker } from '../queue/worker.ts';
import { reachable, UnreachableError } from '../queue/jobs.ts';
import { progressBar } from './progress.ts';

/** A failure the user can fix (a missing or wrong input file): one line, exit code 2. */
class InputError extends Error {}

async function run(cmd: RunCommand): Promise<number> {
  const loaded = await loadPresetFile(cmd.preset);
  const preset = parsePreset(
    {
      ...loaded,
      seed: cmd.seed ?? loaded.seed,
      rng: cmd.rng ?? loaded.rng,
      stop: { ...loaded.stop, maxSteps: cmd.maxSteps ?? loaded.stop.maxSteps },
    },
    `${cmd.preset} (with command-line overrides)`,
  );
  let outFd: number | null = null; // opened once the run is accepted: a refused run leaves an earlier log as it was
  const modelLines = new ModelLines(); // a shard's part carries them for the merged log
  const training = new Run(preset, {
    backend: cmd.backend,
    gpu: await gpuForAuto(cmd.backend, expandSweep(preset).preset),
    workers: cmd.workers,
    only: cmd.shard && ((id) => inShard(id, cmd.shard!)),
    onEvent: (event) => {
      if (event.type === 'log') {
        process.stdout.write(`${event.line}\n`);
        if (outFd !== null) writeSync(outFd, `${event.line}\n`); // as the run goes: an interrupted run leaves a valid log
      }
      if (cmd.shard) modelLines.keep(event);
      bar(event);
    },
  });
  checkWritable([cmd.json, cmd.csv, cmd.table, cmd.models]); // a finished run is not lost to a typo in an output path
  if (cmd.out) outFd = openForWriting(cmd.out);
  const bar = progressBar(process.stderr, training.plan.models.length);
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
    training.stop();
  });
  const result = await training.start();
  if (outFd !== null) closeSync(outFd);
  const ids = training.plan.models.map((m) => m.id);
  await writeOutputs(result, [
    [cmd.json, (file) => writeJsonStreamed(file, cmd.shard ? partOf(result, cmd.shard, preset, ids, modelLines) : result, 'models')],
    ...runFiles(cmd, result),
  ]);
  return result.stopped ? 130 : 0;
}

/** A file the command cannot write, in one line naming it (not the temporary it was written through). */
function cannotWrite(file: string, err: unknown): InputError {
  return new InputError(`${file}: cannot write the file: ${fileProblem(err)}`);
}

/** Before any work: each file's folder made if missing (as --json's is) and a file created there, none a folder. */
function checkWritable(files: (string | undefined)[]): void {
  for (const file of files) {
    if (!file) continue;
    const probe = `${file}.${process.pid}.probe`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      if (existsSync(file) && statSync(file).isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      closeSync(openSync(probe, 'wx'));
      unlinkSync(probe);
    } catch (err) {
      throw cannotWrite(file, err);
    }
  }
}

/** A file to write as the run goes, in a folder made if missing; a file that cannot be made, one line. */
function openForWriting(file: string): number {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'w');
  } catch (err) {
    throw cannotWrite(file, err);
  }
}

type Output = [file: string | undefined, write: (file: string) => Promise<void>];

/** The files a run, a merge or a submit writes besides the result and the log. */
function runFiles(cmd: Pick<RunCommand, 'csv' | 'table' | 'models'>, result: RunResult): Output[] {
  return [
    [cmd.csv, (file) => writeAtomic(file, curvesCsv(result))],
    [cmd.table, (file) => writeAtomic(file, summaryCsv(result))],
    [cmd.models, (file) => writeAtomic(file, modelsJsonl(result))],
  ];
}

/**
 * The summary table at the end of the output, then each file whole or not at all (a kill while writing
 * leaves an earlier file as it was); every one even when one fails, then the first failure.
 */
async function writeOutputs(result: RunResult, outputs: Output[]): Promise<void> {
  process.stdout.write(`\n${summaryTable(result)}\n`);
  const failures: InputError[] = [];
  for (const [file, write] of outputs) {
    if (!file) continue;
    await writeOutput(file, write).catch((err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      failures.push(err);
    });
  }
  if (failures.length) throw failures[0];
}

/** One output file: a file-system failure named in one line (InputError); anything else is a fault of lab's, with its stack. */
async function writeOutput(file: string, write: (file: string) => Promise<void>): Promise<void> {
  try {
    await write(file);
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code ? cannotWrite(file, err) : err;
  }
}

async function worker(cmd: WorkerCommand): Promise<number> {
  const w = startWorker(cmd.redis, cmd.concurrency, (line) => process.stderr.write(`${line}\n`));
  const shown = shownUrl(cmd.redis); // never the password
  await reachable(w, shown);
  process.stderr.write(`waiting for jobs on ${shown} (${cmd.concurrency} at a time)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  process.stderr.write('finishing the jobs in hand...\n');
  await w.close();
  return 0;
}

async function submitCommand(cmd: SubmitCommand): Promise<number> {
  const preset = await loadPresetFile(cmd.preset); // a bad preset is refused before anything is queued
  checkWritable([cmd.json, cmd.out, cmd.table, cmd.models]);
  const lines: string[] = [];
  const queued = new QueueRun(preset, cmd.redis, {
    jobSize: cmd.jobSize,
    resume: cmd.resume,
    onJobs: (done, total) => process.stderr.write(`jobs done: ${done} / ${total}\n`),
    onEvent: (event) => {
      if (event.type === 'log') lines.push(event.line);
    },
  });
  await queued.connect();
  const result = await queued.start();
  await writeOutputs(result, [
    [cmd.json, (file) => writeJsonStreamed(file, result, 'models')],
    [cmd.out, (file) => writeAtomic(file, `${lines.join('\n')}\n`)],
    ...runFiles(cmd, result),
  ]);
  return 0;
}

async function merge(cmd: MergeCommand): Promise<number> {
  const parts: { file: string; part: ShardPart }[] = [];
  for (const file of cmd.parts) {
    const read = await readJson(file);
    if ('error' in read) throw new InputError(`${file}: ${read.error}`);
    if ((read.data as { shard?: unknown } | null)?.shard === undefined) {
      throw new InputError(`${file}: not a shard's part (expected the --json of lab run … --shard I/N)`);
    }
    const parsed = ShardPartSchema.safeParse(read.data);
    if (!parsed.success) throw new InputError(`${file}: ${firstProblem(parsed.error, read.data, 'the file')}`);
    parts.push({ file, part: parsed.data });
  }
  checkWritable([cmd.json, cmd.out, cmd.table, cmd.models]);
  const { result, log } = mergeParts(parts);
  await writeOutputs(result, [
    [cmd.json, (file) => writeJsonStreamed(file, result, 'models')],
    [cmd.out, (file) => writeAtomic(file, log)],
    ...runFiles(cmd, result),
  ]);
  process.stderr.write(`merged ${parts.length} parts: ${result.models.length.toLocaleString('en-US')} models into ${cmd.json}\n`);
  return 0;
}

async function chart(cmd: ChartCommand): Promise<number> {
  const file = existsSync(cmd.source) && statSync(cmd.source).isDirectory() ? join(cmd.source, 'result.json') : cmd.source;
  const read = await readJson(file);
  if ('error' in read) throw new InputError(`${file}: ${read.error}`);
  if ((read.data as { format?: unknown } | null)?.format !== RESULT_FORMAT) {
    throw new InputError(`${file}: not a Minima Lab result (expected "format": "${RESULT_FORMAT}")`);
  }
  const parsed = RunResultSchema.safeParse(read.data);
  if (!parsed.success) throw new InputError(`${file}: ${firstProblem(parsed.error, read.data, 'the file')}`);
  const result = parsed.data;
  checkWritable([cmd.out]);
  const image = await renderChart(chartDataOf(result), {
    kind: cmd.chart,
    format: cmd.format,
    width: cmd.width,
    height: cmd.height,
    pixelRatio: cmd.pixelRatio,
    options: { theme: cmd.theme, title: cmd.title, legend: cmd.legend, heatmap: heatmapOf(cmd, result, file) },
  });
  await writeOutput(cmd.out, (file) => writeAtomic(file, image));
  process.stderr.write(
    `wrote ${cmd.out} (${cmd.format}, ${cmd.width}x${cmd.height}${cmd.format === 'png' && cmd.pixelRatio > 1 ? ` at ${cmd.pixelRatio}x` : ''})\n`,
  );
  return 0;
}

/** The heatmap's view from --statistic, --x and --y (fields of the sweep, or `group`). */
function heatmapOf(cmd: ChartCommand, result: RunResult, file: string): Partial<HeatmapView> | undefined {
  if (cmd.chart !== 'heatmap') return undefined;
  const sweep = result.sweep;
  if (!sweep) throw new InputError(`${file}: --chart heatmap needs a sweep's result (this run has no sweep)`);
  const fields = [...(sweep.bases.length > 1 ? ['group'] : []), ...sweep.axes.map((a) => a.field)];
  const dimension = (flag: string, field: string | undefined) => {
    if (field === undefined) return undefined;
    const k = fields.indexOf(field);
    if (k < 0) throw new UsageError(`--${flag}: expected one of the sweep's fields ${fields.join(', ')}, got '${field}'`);
    return k;
  };
  return { statistic: cmd.statistic, x: dimension('x', cmd.x), y: dimension('y', cmd.y) };
}

async function main(argv: string[]): Promise<number> {
  const cmd = parseCommand(argv);
  switch (cmd.command) {
    case 'run':
      return run(cmd);
    case 'merge':
      return merge(cmd);
    case 'worker':
      return worker(cmd);
    case 'submit':
      return submitCommand(cmd);
    case 'chart':
      return chart(cmd);
    case 'help':
      process.stdout.write(`${cmd.text}\n`);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof UsageError;
    const input =
      usage ||
      err instanceof PresetError ||
      err instanceof InputError ||
      err instanceof RunRefused ||
      err instanceof MergeError ||
      err instanceof QueueError ||
      err instanceof UnreachableError;
    process.stderr.write(
      `lab: ${input ? (err as Error).message : err instanceof Error ? err.stack : String(err)}\n${usage ? `${usageOf(err.command)}\n(lab --help: every command and what it does)\n` : ''}`,
    );
    process.exit(input ? 2 : 1);
  },
);
