// `lab`: the headless Minima Lab. Its commands, what each does and their options are in args.ts
// (COMMANDS), which `lab --help` prints; here each command does its work, through the LabIO it is given
// (lab.ts, the executable, gives it the process's; tests give it buffers and run it in-process).
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { combine, runLabels } from '../../core/charts/combine.ts';
import { atStep, chartDataOf, replayedModels, snapshotsById } from '../../core/charts/data.ts';
import type { HeatmapView } from '../../core/charts/heatmap-view.ts';
import type { ChartRequest } from '../../core/charts/request.ts';
import { RESULT_FORMAT, RunResultSchema, type ModelResult, type RunPlan, type RunResult } from '../../core/results/events.ts';
import { RunRecordSchema } from '../../core/results/records.ts';
import { loadAndExpand } from '../storage/preset-file.ts';
import { PresetError } from '../../core/preset/parse.ts';
import { RunRefused } from '../engine/budget.ts';
import { planLocalRun, planQueueRun } from '../engine/plan.ts';
import { Run } from '../engine/run.ts';
import { gpuForAuto } from '../engine/webgpu/device.ts';
import { keepsSnapshots } from '../engine/backends.ts';
import { modelName, NO_SNAPSHOTS, SNAPSHOTS_KEPT_FOR, type Snapshots } from '../../core/results/snapshots.ts';
import { shownUrl } from '../../core/queue/redis-url.ts';
import { inShard, MergeError, mergeParts, ModelLines, partOf, ShardPartSchema, type ShardPart } from '../engine/shard.ts';
import { modelsJsonl, summaryCsv, summaryTable } from '../exports/tables.ts';
import { renderChart } from '../exports/charts.ts';
import { renderAnimation } from '../exports/animation.ts';
import { playedRate } from '../../core/charts/animation.ts';
import { curvesCsv } from '../exports/csv.ts';
import { snapshotsIn, snapshotsNpz } from '../storage/snapshots-file.ts';
import { NpzError } from '../storage/npz.ts';
import { LandscapeError, landscapeOf } from '../engine/landscape.ts';
import type { Landscape } from '../../core/results/landscape.ts';
import { experimentOf, modelsOf } from '../engine/experiment.ts';
import { readFile } from 'node:fs/promises';
import { fileProblem, readJson, readValidJson, writeAtomic, writeJsonStreamed } from '../storage/files.ts';
import { firstProblem, printable } from '../../core/preset/problems.ts';
import {
  parseCommand,
  UsageError,
  usageOf,
  type AnimateCommand,
  type ChartCommand,
  type ExportCommand,
  type LandscapeCommand,
  type MergeCommand,
  type RunCommand,
  type SubmitCommand,
  type WorkerCommand,
} from './args.ts';
import { QueueError, QueueRun } from '../queue/queue-run.ts';
import { QueueWorker } from '../queue/worker.ts';
import { UnreachableError } from '../queue/connection.ts';
import { progressBar, queueProgressLines } from './progress.ts';
import { TorchExportError, torchScript } from '../exports/torch-script.ts';

/** What a command reaches of the process it runs in. */
export interface LabIO {
  stdout: { write(text: string): unknown };
  /** Where messages and, on a terminal (isTTY), the progress bar go. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Where Ctrl-C (SIGINT) and a scheduler's SIGTERM arrive. */
  signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** Ends the process at once: a second Ctrl-C. */
  quit(code: number): void;
  /** The training worker's entry: the bundled executable ships its own beside it (default: the source's). */
  workerUrl?: URL;
}

export const processIO: LabIO = { stdout: process.stdout, stderr: process.stderr, signals: process, quit: (code) => process.exit(code) };

/**
 * Calls `first` on the first Ctrl-C (or, with `signals`, the first of those), and `last` then quits with 130 on
 * the second, until the returned function is called.
 */
function onCtrlC(io: LabIO, first: () => void, last = () => {}, signals: NodeJS.Signals[] = ['SIGINT']): () => void {
  let pressed = false;
  const listener = () => {
    if (!pressed) {
      pressed = true;
      return first();
    }
    last();
    io.quit(130);
  };
  for (const signal of signals) io.signals.on(signal, listener);
  return () => {
    for (const signal of signals) io.signals.off(signal, listener);
  };
}

/** A failure the user can fix (a missing or wrong input file): one line, exit code 2. */
class InputError extends Error {}

async function run(cmd: RunCommand, io: LabIO): Promise<number> {
  const expanded = await loadAndExpand(cmd.preset, { seed: cmd.seed, rng: cmd.rng, maxSteps: cmd.maxSteps });
  let outFd: number | null = null; // opened once the run is accepted: a refused run leaves an earlier log as it was
  const modelLines = new ModelLines(); // a shard's part carries them for the merged log
  const planned = planLocalRun(expanded, {
    backend: cmd.backend,
    gpu: await gpuForAuto(cmd.backend, expanded.preset),
    workers: cmd.workers,
    only: cmd.shard && ((id) => inShard(id, cmd.shard!)),
  });
  const training = new Run(planned, {
    workerUrl: io.workerUrl,
    onEvent: (event) => {
      if (event.type === 'log') {
        io.stdout.write(`${event.line}\n`);
        if (outFd !== null) writeSync(outFd, `${event.line}\n`); // as the run goes: an interrupted run leaves a valid log
      }
      if (cmd.shard) modelLines.keep(event);
      bar(event);
    },
  });
  checkSnapshotsKept(cmd.snapshots, planned.plan);
  checkWritable([cmd.json, cmd.csv, cmd.table, cmd.models, cmd.snapshots]); // a finished run is not lost to a typo in an output path
  if (cmd.shard && !planned.plan.models.length) {
    const total = expanded.preset.groups.reduce((n, g) => n + g.models, 0).toLocaleString('en-US');
    const { index, count } = cmd.shard;
    io.stderr.write(
      `lab: shard ${index}/${count} has no models: this run has ${total}, fewer than its ${count} shards (its part is written all the same)\n`,
    );
  }
  if (cmd.out) outFd = openForWriting(cmd.out);
  const bar = progressBar(io.stderr, training.plan.models.length);
  const stopListening = onCtrlC(io, () => {
    io.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
    training.stop();
  });
  const result = await training.start().finally(() => {
    stopListening();
    if (outFd !== null) closeSync(outFd);
  });
  const ids = training.plan.models.map((m) => m.id);
  const saved = namingSnapshots(result, cmd);
  await writeOutputs(io, result, [
    // the snapshots before the result that names them
    [cmd.snapshots, (file) => writeAtomic(file, snapshotsNpz(training.plan.models, training.snapshots))],
    [cmd.json, (file) => writeJsonStreamed(file, cmd.shard ? partOf(saved, cmd.shard, planned.source, ids, modelLines) : saved, 'models')],
    ...runFiles(cmd, result),
  ]);
  return result.stopped ? 130 : 0;
}

/** Refuses --snapshots for a run none of whose models keeps any, before it trains. */
function checkSnapshotsKept(file: string | undefined, plan: RunPlan): void {
  if (file && !plan.models.some((m) => keepsSnapshots(plan, m))) {
    throw new InputError(
      `--snapshots: no model of this run keeps snapshots (they are kept for ${SNAPSHOTS_KEPT_FOR}, in a sweep for its curvesPerCell models of each cell)`,
    );
  }
}

/** The result naming its --snapshots file, from the --json file's folder, written with / wherever it is read. */
function namingSnapshots(result: RunResult, cmd: { json?: string; snapshots?: string }): RunResult {
  return cmd.snapshots && cmd.json ? { ...result, snapshotsFile: relative(dirname(cmd.json), cmd.snapshots).split(sep).join('/') } : result;
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
async function writeOutputs(io: LabIO, result: RunResult, outputs: Output[]): Promise<void> {
  io.stdout.write(`\n${summaryTable(result)}\n`);
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

async function worker(cmd: WorkerCommand, io: LabIO): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const w = new QueueWorker(cmd.redis, cmd.concurrency, say, io.workerUrl);
  await w.connect();
  say(`waiting for jobs on ${shownUrl(cmd.redis)} (${cmd.concurrency} at a time)`); // never the password
  // a container orchestrator's stop (SIGTERM) as Ctrl-C: the jobs in hand finish or go back, then it exits
  let stopped = () => {};
  const stopping = new Promise<void>((resolve) => (stopped = resolve));
  const stopListening = onCtrlC(
    io,
    () => stopped(),
    () => say(w.quitLine()),
    ['SIGINT', 'SIGTERM'],
  );
  await stopping;
  say(await w.stop(cmd.stopTimeout * 1000).finally(stopListening));
  return 0;
}

/** The command line that collects what a submit left on the queue: the same one, with --resume (and no password). */
function resumeLine(argv: string[]): string {
  const words = argv.map((arg) => shellWord(arg.replace(/rediss?:\/\/.*/, (url) => shownUrl(url))));
  return `lab ${[...words, ...(argv.includes('--resume') ? [] : ['--resume'])].join(' ')}`;
}

/** An argument as a shell reads it back: as it is where it can be, else in single quotes. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

async function submitCommand(cmd: SubmitCommand, io: LabIO, argv: string[]): Promise<number> {
  // a bad preset is refused before anything is queued
  const expanded = await loadAndExpand(cmd.preset, { seed: cmd.seed, maxSteps: cmd.maxSteps });
  const planned = planQueueRun(expanded);
  checkSnapshotsKept(cmd.snapshots, planned.plan);
  checkWritable([cmd.json, cmd.out, cmd.table, cmd.models, cmd.snapshots]);
  const lines: string[] = [];
  const bar = progressBar(io.stderr, planned.plan.models.length);
  const say = (line: string) => io.stderr.write(`${io.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`); // over the bar
  const howToResume = resumeLine(argv);
  const queued = new QueueRun(planned, cmd.redis, {
    jobSize: cmd.jobSize,
    resume: cmd.resume,
    redisTimeoutS: cmd.redisTimeout,
    workerNoticeS: cmd.workerNotice,
    howToResume,
    onNotice: say,
    onProgress: queueProgressLines(io.stderr),
    onEvent: (event) => {
      if (event.type === 'log') lines.push(event.line);
      bar(event);
    },
  });
  await queued.connect();
  const stopListening = onCtrlC(
    io,
    () => {
      say('stopping: taking the waiting jobs off the queue (Ctrl-C again to quit at once)...');
      queued.stop();
    },
    () => say(`quit: what stays on the queue, ${howToResume} collects`),
  );
  const result = await queued.start().finally(stopListening);
  await writeOutputs(io, result, [
    [cmd.snapshots, (file) => writeAtomic(file, snapshotsNpz(queued.plan.models, queued.snapshots))],
    [cmd.json, (file) => writeJsonStreamed(file, namingSnapshots(result, cmd), 'models')],
    [cmd.out, (file) => writeAtomic(file, `${lines.join('\n')}\n`)],
    ...runFiles(cmd, result),
  ]);
  return result.stopped ? 130 : 0;
}

async function merge(cmd: MergeCommand, io: LabIO): Promise<number> {
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
  checkWritable([cmd.json, cmd.out, cmd.table, cmd.models, cmd.snapshots]);
  const { result, log } = mergeParts(parts);
  const snapshots = cmd.snapshots ? await snapshotsOfParts(parts) : new Map<number, Snapshots>();
  await writeOutputs(io, result, [
    [cmd.snapshots, (file) => writeAtomic(file, snapshotsNpz(modelsOf(result.preset), snapshots))],
    [cmd.json, (file) => writeJsonStreamed(file, namingSnapshots(result, cmd), 'models')],
    [cmd.out, (file) => writeAtomic(file, log)],
    ...runFiles(cmd, result),
  ]);
  io.stderr.write(`merged ${parts.length} parts: ${result.models.length.toLocaleString('en-US')} models into ${cmd.json}\n`);
  return 0;
}

/**
 * The whole run's snapshots, by model id, from the file each part names: every model its shard keeps, the
 * first snapshot (step 0) being the model's initial parameters, so another shard's or another run's file
 * is refused in one line.
 */
async function snapshotsOfParts(parts: { file: string; part: ShardPart }[]): Promise<Map<number, Snapshots>> {
  const all = new Map<number, Snapshots>();
  for (const { file, part } of parts) {
    const kept = part.models.filter((m) => keepsSnapshots(part, m));
    const found = await snapshotsOf(part, file, null, kept.map(modelName));
    for (const m of kept) {
      const snapshots = found.get(modelName(m));
      const first = snapshots?.params[0];
      if (!first || first.length !== m.initialParams.length || first.some((v, k) => !Object.is(v, m.initialParams[k]))) {
        throw new InputError(
          `${resolve(dirname(file), part.snapshotsFile!)}: not the snapshots of ${file} (shard ${part.shard.index}/${part.shard.count}): ` +
            `${modelName(m)} ${first ? 'starts from other parameters' : 'is missing'}`,
        );
      }
      all.set(m.id, snapshots!);
    }
  }
  return all;
}

/** A stored result, from its file or its run folder; `folder` where it came from one. */
async function readResult(source: string): Promise<{ result: RunResult; file: string; folder: string | null }> {
  const folder = existsSync(source) && statSync(source).isDirectory() ? source : null;
  const file = folder ? join(folder, 'result.json') : source;
  const read = await readJson(file, { own: folder !== null }); // a run folder's result.json is lab's own: never a link
  if ('error' in read) throw new InputError(`${file}: ${read.error}`);
  if ((read.data as { shard?: unknown } | null)?.shard !== undefined) {
    throw new InputError(`${file}: one shard's part of a run: merge the parts first (lab merge PART.json... --json RESULT.json)`);
  }
  if ((read.data as { format?: unknown } | null)?.format !== RESULT_FORMAT) {
    throw new InputError(`${file}: not a Minima Lab result (expected "format": "${RESULT_FORMAT}")`);
  }
  const parsed = RunResultSchema.safeParse(read.data);
  if (!parsed.success) throw new InputError(`${file}: ${firstProblem(parsed.error, read.data, 'the file')}`);
  return { result: parsed.data, file, folder };
}

async function chart(cmd: ChartCommand, io: LabIO): Promise<number> {
  if (cmd.sources.length > 1) return chartCompared(cmd, io);
  const { result, file, folder } = await readResult(cmd.sources[0]);
  const fitModels = cmd.models?.map((name) => modelNamed(result, name, file).id);
  const last = result.models.reduce((most, m) => Math.max(most, m.steps), 0); // a loop: a sweep's models outnumber a spread's arguments
  if (cmd.step !== undefined && cmd.step > last) throw new InputError(`--step ${cmd.step}: beyond the run, whose last step is ${last}`);
  // the kink paths, and the fit at a step, draw their models' snapshots, stored beside the result: only theirs are read
  const fitAtStep = cmd.request.kind === 'fit' && cmd.step !== undefined;
  const drawn = replayedModels(cmd.request.kind, { fitModels, step: cmd.step }, chartDataOf(result).models);
  const names = result.models.filter((m) => drawn.includes(m.id)).map(modelName);
  const kept = names.length ? await snapshotsOf(result, file, folder, names) : new Map<string, Snapshots>();
  const unkept = fitAtStep ? names.find((name) => !kept.get(name)?.step.length) : undefined;
  if (unkept) throw new InputError(`${unkept}: kept no snapshots, so no step to draw it at`);
  checkWritable([cmd.out]);
  const { request } = cmd;
  const data = chartDataOf(result, snapshotsById(result.models, kept));
  const image = await renderChart(fitAtStep ? atStep(data, cmd.step!) : data, {
    ...request,
    options: { ...request.options, fitModels, step: cmd.step, heatmap: heatmapOf(cmd, result, file) },
  });
  await writeOutput(cmd.out, (file) => writeAtomic(file, image));
  io.stderr.write(`wrote ${cmd.out} (${pictureText(request)})\n`);
  return 0;
}

/** Several results' groups overlaid in one chart, as the app's Compare draws them: each run numbered and named as runLabels names it. */
async function chartCompared(cmd: ChartCommand, io: LabIO): Promise<number> {
  const read = await Promise.all(cmd.sources.map(readResult));
  const labels = runLabels(await Promise.all(read.map(runName)));
  checkWritable([cmd.out]);
  const data = combine(read.map(({ result }, k) => ({ data: chartDataOf(result), prefix: labels[k] })));
  const image = await renderChart(data, cmd.request);
  await writeOutput(cmd.out, (file) => writeAtomic(file, image));
  io.stderr.write(`wrote ${cmd.out} (${pictureText(cmd.request)}; ${read.length} runs compared)\n`);
  return 0;
}

/** A stored run's name as the app shows it: a run folder's (renamed there, perhaps), else its preset's. */
async function runName({ result, folder }: { result: RunResult; folder: string | null }): Promise<string> {
  const record = folder ? await readValidJson(join(folder, 'meta.json'), RunRecordSchema) : null;
  return record && 'data' in record ? record.data.name : result.preset.name; // a folder copied without its meta.json: the preset's
}

async function animate(cmd: AnimateCommand, io: LabIO): Promise<number> {
  const { result, file, folder } = await readResult(cmd.source);
  const ids = cmd.models.map((name) => modelNamed(result, name, file).id);
  const kept = await snapshotsOf(result, file, folder, cmd.models);
  const unkept = cmd.models.find((name) => !kept.get(name)?.step.length);
  if (unkept)
    throw new InputError(
      `${unkept}: kept no snapshots, so nothing to animate (a sweep keeps them for its curvesPerCell models of each cell)`,
    );
  checkWritable([cmd.out]);
  const { request } = cmd;
  const { gif, frames } = renderAnimation(chartDataOf(result, snapshotsById(result.models, kept)), { ...request, models: ids });
  await writeOutput(cmd.out, (out) => writeAtomic(out, gif));
  io.stderr.write(`wrote ${cmd.out} (${frames} frames, ${request.width}x${request.height}, ${playedRate(request.fps)})\n`);
  return 0;
}

/** The snapshots a stored result's models kept, of the models named, by name: from its run folder or the file the result names. */
async function snapshotsOf(
  result: RunResult,
  file: string,
  folder: string | null,
  names: readonly string[],
): Promise<Map<string, Snapshots>> {
  const npzFile = folder ? join(folder, 'snapshots.npz') : result.snapshotsFile && resolve(dirname(file), result.snapshotsFile);
  if (!npzFile) throw new InputError(`${file}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)`);
  if (folder && !existsSync(npzFile)) {
    throw new InputError(`${folder}: ${NO_SNAPSHOTS.run}`);
  }
  try {
    return snapshotsIn(await readFile(npzFile), names);
  } catch (err) {
    throw new InputError(`${npzFile}: ${err instanceof NpzError ? err.message : `cannot read the file: ${fileProblem(err)}`}`);
  }
}

async function landscape(cmd: LandscapeCommand, io: LabIO): Promise<number> {
  const { result, file, folder } = await readResult(cmd.source);
  const model = modelNamed(result, cmd.model, file);
  const snapshots = (await snapshotsOf(result, file, folder, [cmd.model])).get(cmd.model);
  if (!snapshots) throw new InputError(`${cmd.model}: ${NO_SNAPSHOTS.model}`);
  const charts = [cmd.out, cmd.sliceOut].filter((c) => c !== undefined);
  checkWritable([cmd.json, ...charts.map((c) => c.file)]);
  const request = { step: cmd.step, directions: cmd.directions, grid: cmd.grid, span: cmd.span, seed: cmd.seed };
  let plane: Landscape;
  try {
    plane = landscapeOf(experimentOf(result.preset), { ...model, snapshots }, request);
  } catch (err) {
    throw err instanceof LandscapeError ? new InputError(`${cmd.model}: ${err.message}`) : err;
  }
  const what = `${cmd.grid}x${cmd.grid} points around ${cmd.model} at step ${plane.step}, ${cmd.directions} directions`;
  if (cmd.json) {
    await writeOutput(cmd.json, (out) => writeAtomic(out, `${JSON.stringify(plane)}\n`));
    io.stderr.write(`wrote ${cmd.json} (${what})\n`);
  }
  const data = { ...chartDataOf(result), landscape: plane };
  for (const { file, request } of charts) {
    const image = await renderChart(data, request);
    await writeOutput(file, (out) => writeAtomic(out, image));
    io.stderr.write(`wrote ${file} (${request.kind}: ${pictureText(request)})\n`);
  }
  return 0;
}

/** `lab export torch`: the script to stdout, or written whole to --out. */
async function exportTorch(cmd: ExportCommand, io: LabIO): Promise<number> {
  const expanded = await loadAndExpand(cmd.preset, { maxSteps: cmd.maxSteps });
  let script: string;
  try {
    script = torchScript(expanded, { group: cmd.group, cell: cmd.cell });
  } catch (err) {
    throw err instanceof TorchExportError ? new InputError(`${cmd.preset}: ${err.message}`) : err;
  }
  if (!cmd.out) {
    io.stdout.write(script);
    return 0;
  }
  checkWritable([cmd.out]);
  await writeOutput(cmd.out, (file) => writeAtomic(file, script));
  io.stderr.write(`wrote ${cmd.out} (PyTorch: python3 ${cmd.out} > ${cmd.out.replace(/\.py$/i, '')}.out)\n`);
  return 0;
}

/** A picture's format and size as the messages say them: "png, 1920x1080 at 2x". */
function pictureText({ format, width, height, pixelRatio }: ChartRequest): string {
  return `${format}, ${width}x${height}${format === 'png' && pixelRatio > 1 ? ` at ${pixelRatio}x` : ''}`;
}

/** A model of a stored result by its name, GROUP#INDEX; one line naming a few others where it has none. */
function modelNamed(result: RunResult, name: string, file: string): ModelResult {
  const model = result.models.find((m) => modelName(m) === name);
  if (model) return model;
  const names = result.models.slice(0, 4).map(modelName).join(', ');
  throw new InputError(`${file}: no model ${name} (its models are ${names}${result.models.length > 4 ? ', …' : ''})`);
}

/** The heatmap's view from --statistic, --x and --y (fields of the sweep, or `group`). */
function heatmapOf(cmd: ChartCommand, result: RunResult, file: string): Partial<HeatmapView> | undefined {
  if (cmd.request.kind !== 'heatmap') return undefined;
  const sweep = result.sweep;
  if (!sweep) throw new InputError(`${file}: --chart heatmap needs a sweep's result (this run has no sweep)`);
  const fields = [...(sweep.bases.length > 1 ? ['group'] : []), ...sweep.axes.map((a) => a.field)];
  const dimension = (flag: string, field: string | undefined) => {
    if (field === undefined) return undefined;
    const k = fields.indexOf(field);
    if (k < 0) {
      const err = new UsageError(`--${flag}: expected one of the sweep's fields ${fields.join(', ')}, got '${field}'`);
      err.command = 'chart'; // its usage, not every command's
      throw err;
    }
    return k;
  };
  return { statistic: cmd.statistic, x: dimension('x', cmd.x), y: dimension('y', cmd.y) };
}

/** Runs one command line; the exit code: 0 done, 2 the user's input refused (one line), 130 stopped, 1 a fault of lab's. */
export async function main(argv: string[], io: LabIO): Promise<number> {
  try {
    const cmd = parseCommand(argv);
    switch (cmd.command) {
      case 'run':
        return await run(cmd, io);
      case 'merge':
        return await merge(cmd, io);
      case 'worker':
        return await worker(cmd, io);
      case 'submit':
        return await submitCommand(cmd, io, argv);
      case 'chart':
        return await chart(cmd, io);
      case 'landscape':
        return await landscape(cmd, io);
      case 'animate':
        return await animate(cmd, io);
      case 'export':
        return await exportTorch(cmd, io);
      case 'help':
        io.stdout.write(`${cmd.text}\n`);
        return 0;
    }
  } catch (err) {
    const usage = err instanceof UsageError;
    const input =
      usage ||
      err instanceof PresetError ||
      err instanceof InputError ||
      err instanceof RunRefused ||
      err instanceof MergeError ||
      err instanceof QueueError ||
      err instanceof UnreachableError;
    // a message may quote a file's name, a group's or a field's: control characters shown, never acted on by the terminal
    const text = input ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    const said = text.split('\n').map(printable).join('\n'); // a fault's stack keeps its lines
    io.stderr.write(`lab: ${said}\n${usage ? `${usageOf(err.command)}\n(lab --help: every command and what it does)\n` : ''}`);
    return input ? 2 : 1;
  }
}
