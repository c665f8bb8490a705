// Command-line parsing for `lab`: one clear error (UsageError, exit code 2) for any bad flag. Past 350 lines
// on purpose: every command's usage, help text, options and their checks are read together in this one table.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import {
  CHART_KINDS,
  HEAT_STATISTICS,
  THEME_NAMES,
  THEMES,
  themeNamed,
  type ChartKind,
  type HeatStatistic,
} from '../../core/charts/kinds.ts';
import {
  CHART_FORMATS,
  drawnPixels,
  drawnRatio,
  EXPORT_DEFAULTS,
  EXPORT_SIDE,
  MAX_EXPORT_PIXELS,
  MAX_PIXEL_RATIO,
  type ChartFormat,
  type ChartPicture,
  type ChartRequest,
} from '../../core/charts/request.ts';
import { ANIMATION_DEFAULTS, ANIMATION_LIMITS, ANIMATION_THEMES, type AnimationRequest } from '../../core/charts/animation.ts';
import { BACKENDS, DEFAULT_BACKEND, type Backend } from '../../core/results/events.ts';
import { MAX_COMPARED } from '../../core/ipc/contract.ts';
import { LIMITS, MAX_WORKERS, RNG_MODES } from '../../core/preset/preset.ts';
import { isRedisUrl, shownUrl } from '../../core/queue/redis-url.ts';
import { DIRECTIONS, LANDSCAPE_GRID, type Directions } from '../../core/results/landscape.ts';
import type { Shard } from '../engine/shard.ts';
import { QUEUE_SETTINGS } from '../queue/settings.ts';

/** A command line `lab` cannot take: one line, then the usage of the command it was for (all of them when none). */
export class UsageError extends Error {
  command?: CommandName;
}

/** The files a run, a merge and a submit write: the .out log, the JSON result, the table, a line per model. */
const RUN_FILES = { out: { type: 'string' }, json: { type: 'string' }, table: { type: 'string' }, models: { type: 'string' } } as const;

/** The charts `lab landscape` draws (from the plane it computes), and those `lab chart` draws from a result. */
const LANDSCAPE_CHARTS = ['landscape', 'slice'] as const satisfies readonly ChartKind[];
const RESULT_CHARTS = CHART_KINDS.filter((k) => !(LANDSCAPE_CHARTS as readonly string[]).includes(k));
/** The charts `lab chart` draws of several results, their groups overlaid as the app's Compare does. */
const COMPARED_CHARTS: readonly ChartKind[] = ['bands', 'reach', 'finals'];

/** How a chart file is drawn: `lab chart`'s and `lab landscape`'s. */
const PICTURE = {
  size: { type: 'string' },
  'pixel-ratio': { type: 'string' },
  theme: { type: 'string' },
} as const;

/** Each command: its usage, what it does (for `lab --help`), and the options it takes. */
const COMMANDS = {
  run: {
    usage: `lab run <preset.json> [--out FILE.out] [--json FILE.json] [--csv FILE.csv] [--table FILE.csv] [--models FILE.jsonl]
        [--snapshots FILE.npz] [--max-steps N] [--seed S] [--rng ${RNG_MODES.join('|')}] [--workers N] [--shard I/N]
        [--backend ${BACKENDS.join('|')}]`,
    does: `trains a preset (a sweep too): the .out log to stdout (and --out), the JSON result to --json, the curves
to --csv, the per-group (per-cell) table to --table, one JSON line per model to --models, each model's parameters along
its training to --snapshots (NumPy's .npz: np.load); the summary table at the end.
With --shard I/N only that shard's models, and --json writes a part for lab merge.`,
    options: {
      ...RUN_FILES,
      csv: { type: 'string' },
      snapshots: { type: 'string' },
      'max-steps': { type: 'string' },
      seed: { type: 'string' },
      rng: { type: 'string' },
      workers: { type: 'string' },
      backend: { type: 'string' },
      shard: { type: 'string' },
    },
  },
  merge: {
    usage: 'lab merge <part.json>... --json FILE.json [--out FILE.out] [--table FILE.csv] [--models FILE.jsonl] [--snapshots FILE.npz]',
    does: `an array job's parts (lab run --shard I/N --json) into the whole run's result, .out log and tables; with
--snapshots, their snapshots (each part's lab run --snapshots) into one file.`,
    options: { ...RUN_FILES, snapshots: { type: 'string' } },
  },
  worker: {
    usage: 'lab worker --redis URL [--concurrency N] [--stop-timeout SECONDS]',
    does: `trains jobs from a BullMQ queue on Redis, --concurrency at a time (default ${QUEUE_SETTINGS.concurrency.default}), each in a worker thread,
until Ctrl-C or SIGTERM: then it takes no more, gives those in hand --stop-timeout seconds to finish (default
${QUEUE_SETTINGS.stopTimeout.default}), hands the rest back to the queue and exits; a second signal quits at once.`,
    options: { redis: { type: 'string' }, concurrency: { type: 'string' }, 'stop-timeout': { type: 'string' } },
  },
  submit: {
    usage: `lab submit <preset.json> --redis URL [--json FILE.json] [--out FILE.out] [--table FILE.csv] [--models FILE.jsonl]
        [--snapshots FILE.npz] [--max-steps N] [--seed S] [--job-size N] [--resume] [--redis-timeout SECONDS]
        [--worker-notice SECONDS]`,
    does: `puts a preset's jobs on that queue, waits for the workers, and writes the whole run's files. --max-steps and
--seed as lab run takes them; --job-size models a job (default ${QUEUE_SETTINGS.jobSize.default}). It says when no worker has taken a job after
--worker-notice seconds (default ${QUEUE_SETTINGS.workerNotice.default}), and waits --redis-timeout seconds (default ${QUEUE_SETTINGS.redisTimeout.default}) for a Redis that went away;
Ctrl-C takes its waiting jobs off the queue. --resume retries the failed jobs and collects the rest.`,
    options: {
      redis: { type: 'string' },
      ...RUN_FILES,
      snapshots: { type: 'string' },
      'max-steps': { type: 'string' },
      seed: { type: 'string' },
      'job-size': { type: 'string' },
      resume: { type: 'boolean' },
      'redis-timeout': { type: 'string' },
      'worker-notice': { type: 'string' },
    },
  },
  chart: {
    usage: `lab chart <result.json | run folder>... --chart ${RESULT_CHARTS.join('|')} --out FILE.png|FILE.svg
        [--size WIDTHxHEIGHT] [--pixel-ratio N] [--theme ${THEMES.join('|')}] [--title TEXT] [--no-legend]
        [--statistic ${HEAT_STATISTICS.join('|')}] [--x FIELD] [--y FIELD] [--model GROUP#INDEX]... [--step N] [--units|--no-units]
        [--linear-steps]`,
    does: `draws one of the app's charts from a result (or a run folder) as PNG or SVG, by --out's extension.
Several results (up to ${MAX_COMPARED}) are compared as the app compares them, their groups overlaid and each run
numbered: --chart ${COMPARED_CHARTS.join(', ')}.
The heatmap's --statistic colours its cells; --x and --y put sweep fields across and down. The fit and kinks charts
draw the typical model of each group, or each --model; the fit chart draws them as they were at --step (from the
run's snapshots: each model's last one at or before it), and the loss, bands, lr and kinks charts mark --step with
a line. --units draws the fit's hidden units under each model (the default when it draws one), --no-units not.
--linear-steps draws the loss, bands and lr charts against the step on a linear axis (default: step + 1, log).
--theme transparent-light draws no background and dark text, for a light slide; transparent-dark light text, for a
dark one (transparent, its older name, is transparent-light).`,
    options: {
      chart: { type: 'string' },
      format: { type: 'string' }, // the extension decides; kept for scripts that name it, and checked against it
      ...PICTURE,
      title: { type: 'string' },
      'no-legend': { type: 'boolean' },
      out: { type: 'string' },
      statistic: { type: 'string' },
      x: { type: 'string' },
      y: { type: 'string' },
      model: { type: 'string', multiple: true },
      step: { type: 'string' },
      units: { type: 'boolean' },
      'no-units': { type: 'boolean' },
      'linear-steps': { type: 'boolean' },
    },
  },
  animate: {
    usage: `lab animate <result.json | run folder> --model GROUP#INDEX [--model GROUP#INDEX]... --out FILE.gif
        [--size WIDTHxHEIGHT] [--fps N] [--seconds S] [--theme ${ANIMATION_THEMES.join('|')}]`,
    does: `a GIF of models training, for slides: at each frame's step (log-spaced from 0 to the longest model's last)
the fit, the validation loss and the hidden units' kinks so far, and the step counter. fps × seconds frames
(default ${ANIMATION_DEFAULTS.fps} × ${ANIMATION_DEFAULTS.seconds}, ${ANIMATION_DEFAULTS.width}x${ANIMATION_DEFAULTS.height}). Needs the run's snapshots (a run folder's, or lab run --snapshots).`,
    options: {
      model: { type: 'string', multiple: true },
      out: { type: 'string' },
      size: { type: 'string' },
      fps: { type: 'string' },
      seconds: { type: 'string' },
      theme: { type: 'string' },
    },
  },
  landscape: {
    usage: `lab landscape <result.json | run folder> --model GROUP#INDEX [--json FILE.json] [--out FILE.png|FILE.svg]
        [--slice-out FILE.png|FILE.svg] [--step N] [--directions ${DIRECTIONS.join('|')}] [--grid N] [--span S] [--seed S]
        [--size WIDTHxHEIGHT] [--pixel-ratio N] [--theme ${THEMES.join('|')}]`,
    does: `the validation loss on a plane through one model's parameters at one of its snapshots (by default its
last): along two filter-normalised random directions (--seed), or its trajectory's first two principal directions,
the trajectory on them; and on the line from its initial to its final parameters. Into --json, with everything
needed to recompute any point; drawn to --out (the plane: log colours, contours at the plateaus) and --slice-out
(the line), as lab chart draws. Needs the run's snapshots (a run folder's, or lab run --snapshots).`,
    options: {
      model: { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      'slice-out': { type: 'string' },
      ...PICTURE,
      step: { type: 'string' },
      directions: { type: 'string' },
      grid: { type: 'string' },
      span: { type: 'string' },
      seed: { type: 'string' },
    },
  },
  export: {
    usage: 'lab export torch <preset.json> [--out FILE.py] [--max-steps N] [--group NAME] [--cell NAME]',
    does: `a preset as a standalone PyTorch script that trains what lab run trains and prints its .out log line for
line (python3 FILE.py > FILE.out), to stdout or --out. --max-steps as lab run takes it; --group one group of the preset
(with per-model streams), --cell one cell of its sweep (its name, e.g. net_16_CyclicLR); a sweep's script trains every
cell otherwise.`,
    options: { out: { type: 'string' }, 'max-steps': { type: 'string' }, group: { type: 'string' }, cell: { type: 'string' } },
  },
} satisfies Record<string, { usage: string; does: string; options: NonNullable<ParseArgsConfig['options']> }>;
type CommandName = keyof typeof COMMANDS;
const NAMES = Object.keys(COMMANDS) as CommandName[];

/** The usage of one command, or of all. */
export function usageOf(command?: CommandName): string {
  const lines = (command ? [command] : NAMES).map((c) => COMMANDS[c].usage.replaceAll('\n', '\n      '));
  return `usage: ${lines.join('\n       ')}`;
}

/** `lab --help`: what each command does, then how to call it. */
function helpOf(command?: CommandName): string {
  const does = (c: CommandName) => `lab ${c}: ${COMMANDS[c].does.replaceAll('\n', '\n  ')}`;
  if (command) return `${does(command)}\n\n${usageOf(command)}`;
  return `lab: the headless Minima Lab. Trains presets as the app does, and draws its charts.\n\n${NAMES.map(does).join('\n')}\n\n${usageOf()}\n\nEvery preset field: docs/presets.md. Exit codes: 0 done, 2 a bad input (one line says which), 130 stopped by Ctrl-C, 1 anything else (a fault of lab's: please report its stack).`;
}

/** `lab --help` or `lab <command> --help`: the text to print, and nothing to do. */
export interface HelpCommand {
  command: 'help';
  text: string;
}

export interface RunCommand {
  command: 'run';
  preset: string;
  out?: string;
  json?: string;
  csv?: string;
  /** The per-group (per-cell) table as CSV. */
  table?: string;
  /** One JSON line per model. */
  models?: string;
  /** Each model's snapshots as NumPy's .npz. */
  snapshots?: string;
  maxSteps?: number;
  seed?: number;
  rng?: (typeof RNG_MODES)[number];
  workers?: number;
  backend: Backend;
  /** Train only shard I of N; --json then writes a part for `lab merge`. */
  shard?: Shard;
}

/** `lab merge`: an array job's parts into the whole run's files. */
export interface MergeCommand {
  command: 'merge';
  parts: string[];
  json: string;
  out?: string;
  table?: string;
  models?: string;
  /** The parts' snapshots, joined into one .npz. */
  snapshots?: string;
}

export interface ChartCommand {
  command: 'chart';
  /** The result files or run folders: one, or several to compare. */
  sources: string[];
  out: string;
  /** The chart to draw; the heatmap's view is added once the result names the sweep's fields. */
  request: ChartRequest;
  statistic?: HeatStatistic;
  /** The heatmap's sweep fields across and down (e.g. hidden, optimizer.lr; group for the preset's groups). */
  x?: string;
  y?: string;
  /** The models the fit and kinks charts draw (GROUP#INDEX), instead of each group's typical one. */
  models?: string[];
  /** The step the fit chart draws its models at, from their snapshots, and the step charts mark. */
  step?: number;
}

function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    const beyond = /^\d+$/.test(text) && Number(text) > max; // a limit few reach is named only to one who did
    const range = max < Number.MAX_SAFE_INTEGER || beyond ? `from ${min} to ${max.toLocaleString('en-US')}` : `>= ${min}`;
    throw new UsageError(`--${flag}: expected an integer ${range}, got '${text}'`);
  }
  return Number(text);
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got '${text}'`);
  return text as T;
}

/** The name meant, where a typo is near one (two edits, or one a start of the other): " (did you mean run?)". */
function meant(typed: string, names: readonly string[], prefix = ''): string {
  const near = closest(typed, names as string[]);
  return distance(typed, near) <= 2 || near.startsWith(typed) || typed.startsWith(near) ? ` (did you mean ${prefix}${near}?)` : '';
}

/**
 * The options and arguments of a command, each option checked here so that a mistake is named in our words;
 * null where --help (or -h) was asked for as an option, whatever else is wrong (not as another option's value:
 * --title --help is refused, not helped).
 */
function parse(command: CommandName, args: string[]) {
  const names = Object.keys(COMMANDS[command].options);
  const options = { ...COMMANDS[command].options, help: { type: 'boolean', short: 'h' } } as NonNullable<ParseArgsConfig['options']>;
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return null;
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const typed = args[t.index].split('=')[0];
    if (!typed.startsWith('--'))
      throw new UsageError(`unknown option ${typed}: lab's options start with -- (${names.map((n) => `--${n}`).join(', ')})`);
    const type = options[t.name]?.type;
    if (!type) {
      const hint = meant(t.name, names, '--') || `; lab ${command} takes ${names.map((n) => `--${n}`).join(', ')}`;
      throw new UsageError(`unknown option ${t.rawName}${hint}`);
    }
    if (type === 'boolean' && t.inlineValue) throw new UsageError(`${t.rawName}: takes no value, got '${t.value}'`);
    if (type === 'string' && (t.value === undefined || t.value === '')) throw new UsageError(`${t.rawName}: expected a value`);
    if (type === 'string' && !t.inlineValue && t.value!.startsWith('-')) {
      throw new UsageError(
        `${t.rawName}: expected a value, got '${t.value}', which reads as an option (a value that starts with - goes as ${t.rawName}=${t.value})`,
      );
    }
  }
  return { values: values as Record<string, string | undefined> & Record<string, boolean | undefined>, positionals };
}

/** `lab worker`: trains jobs from a BullMQ queue on Redis. */
export interface WorkerCommand {
  command: 'worker';
  redis: string;
  concurrency: number;
  /** Seconds the jobs in hand have to finish once it is stopped, before they go back to the queue. */
  stopTimeout: number;
}

/** `lab submit`: a preset's jobs onto the queue, then the whole run's files from their results. */
export interface SubmitCommand {
  command: 'submit';
  preset: string;
  redis: string;
  json?: string;
  out?: string;
  table?: string;
  models?: string;
  /** Each model's snapshots as NumPy's .npz, as lab run writes them. */
  snapshots?: string;
  maxSteps?: number;
  seed?: number;
  jobSize: number;
  resume: boolean;
  /** Seconds to wait for a Redis gone mid-run. */
  redisTimeout: number;
  /** Seconds the jobs wait, none taken, before it says no worker has taken one. */
  workerNotice: number;
}

/** A setting of the queue's from its flag, within its limits; its default where the flag is not given. */
function setting(
  flag: string,
  text: string | undefined,
  { default: fallback, min, max }: { default: number; min: number; max: number },
): number {
  return integer(flag, text, min, max) ?? fallback;
}

function redisUrl(text: string | undefined): string {
  if (!text) throw new UsageError('--redis: required (the queue’s Redis, e.g. redis://127.0.0.1:6379)');
  if (!isRedisUrl(text)) throw new UsageError(`--redis: expected a redis:// URL with a host, got '${shownUrl(text)}'`);
  return text;
}

/** "3/16": shard 3 of 16, counted from 1. */
function shardOf(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count || count > LIMITS.models) {
    throw new UsageError(`--shard: expected I/N with 1 <= I <= N <= ${LIMITS.models.toLocaleString('en-US')} (e.g. 3/16), got '${text}'`);
  }
  return { index, count };
}

function animateOf(v: NonNullable<ReturnType<typeof parse>>['values'], positionals: string[]): AnimateCommand {
  const text = (flag: string) => v[flag] as string | undefined;
  if (positionals.length !== 1) throw new UsageError(`expected one result file or run folder, got ${positionals.length}`);
  const models = (v.model as string[] | undefined) ?? [];
  if (!models.length) throw new UsageError('--model: required (GROUP#INDEX, e.g. modelsB#3; once per model to animate)');
  const wrong = models.find((m) => !/#\d+$/.test(m));
  if (wrong !== undefined) throw new UsageError(`--model: expected GROUP#INDEX (e.g. modelsB#3), got '${wrong}'`);
  const twice = models.find((m, k) => models.indexOf(m) !== k);
  if (twice !== undefined) throw new UsageError(`--model ${twice}: given twice`);
  const out = text('out');
  if (!out) throw new UsageError('--out: required (the .gif file to write)');
  if (!/\.gif$/i.test(out)) throw new UsageError(`--out ${out}: expected a file name ending in .gif`);
  const { width, height } = sizeOf(text('size') ?? `${ANIMATION_DEFAULTS.width}x${ANIMATION_DEFAULTS.height}`);
  const { fps: fpsLimit, seconds: secondsLimit, frames: framesLimit, pixels: pixelsLimit } = ANIMATION_LIMITS;
  const count = (n: number) => n.toLocaleString('en-US');
  if (width * height > pixelsLimit)
    throw new UsageError(`--size ${width}x${height}: ${count(width * height)} pixels a frame, at most ${count(pixelsLimit)} (3840x2160)`);
  // a GIF's delays are whole centiseconds, and browsers slow a delay under 2 to 10
  const fps = integer('fps', text('fps'), fpsLimit.min, fpsLimit.max) ?? ANIMATION_DEFAULTS.fps;
  const secondsText = text('seconds');
  const seconds = secondsText === undefined ? ANIMATION_DEFAULTS.seconds : Number(secondsText);
  if (!(seconds > 0 && seconds <= secondsLimit.max))
    throw new UsageError(`--seconds: expected a number above 0 and at most ${secondsLimit.max}, got '${secondsText}'`);
  const frames = fps * seconds;
  if (Math.abs(frames - Math.round(frames)) > 1e-9 || Math.round(frames) < 1)
    throw new UsageError(`--seconds ${seconds} at --fps ${fps}: ${Number(frames.toFixed(3))} frames; fps × seconds must be a whole number`);
  if (frames > framesLimit.max)
    throw new UsageError(`--fps ${fps} × --seconds ${seconds}: ${count(frames)} frames, at most ${count(framesLimit.max)}`);
  const theme = oneOf('theme', text('theme'), ANIMATION_THEMES) ?? ANIMATION_DEFAULTS.theme;
  return { command: 'animate', source: positionals[0], models, out, request: { width, height, fps, seconds, theme } };
}

/** "1920x1080": a chart's width and height, each within the export's limits. */
function sizeOf(text = `${EXPORT_DEFAULTS.width}x${EXPORT_DEFAULTS.height}`): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  const [width, height] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  const within = (side: number) => side >= EXPORT_SIDE.min && side <= EXPORT_SIDE.max;
  if (!m || !within(width) || !within(height)) {
    throw new UsageError(
      `--size: expected WIDTHxHEIGHT such as 1920x1080, each from ${EXPORT_SIDE.min} to ${EXPORT_SIDE.max}, got '${text}'`,
    );
  }
  return { width, height };
}

/** A chart to draw into a file. */
export interface ChartFile {
  file: string;
  request: ChartRequest;
}

export interface LandscapeCommand {
  command: 'landscape';
  source: string;
  /** GROUP#INDEX, as given. */
  model: string;
  json?: string;
  /** The landscape chart, and the slice chart. */
  out?: ChartFile;
  sliceOut?: ChartFile;
  step?: number;
  directions: Directions;
  grid: number;
  span?: number;
  seed: number;
}

/** `lab export torch`: a preset (one group, one cell) as a standalone PyTorch script. */
export interface ExportCommand {
  command: 'export';
  preset: string;
  /** The script's file; stdout without it. */
  out?: string;
  maxSteps?: number;
  group?: string;
  cell?: string;
}

/** `lab animate`: a GIF of models training. */
export interface AnimateCommand {
  command: 'animate';
  source: string;
  /** GROUP#INDEX, as given. */
  models: string[];
  out: string;
  request: Omit<AnimationRequest, 'models'>;
}

export type Command =
  | RunCommand
  | ChartCommand
  | MergeCommand
  | WorkerCommand
  | SubmitCommand
  | LandscapeCommand
  | AnimateCommand
  | ExportCommand
  | HelpCommand;

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command === 'help' && Object.hasOwn(COMMANDS, rest[0] ?? '')) return { command: 'help', text: helpOf(rest[0] as CommandName) };
  if (isHelp(command) || command === 'help') return { command: 'help', text: helpOf() };
  if (!command) throw new UsageError('no command given');
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'${meant(command, NAMES)}`);
  const name = command as CommandName;
  try {
    const parsed = parse(name, rest);
    return parsed ? commandOf(name, parsed) : { command: 'help', text: helpOf(name) };
  } catch (err) {
    if (err instanceof UsageError) err.command = name;
    throw err;
  }
}

function commandOf(command: CommandName, { values: v, positionals }: NonNullable<ReturnType<typeof parse>>): Exclude<Command, HelpCommand> {
  const text = (flag: string) => v[flag] as string | undefined;
  if (command === 'landscape') {
    if (positionals.length !== 1) throw new UsageError(`expected one result file or run folder, got ${positionals.length}`);
    const [model, json] = [text('model'), text('json')];
    if (!model || !/#\d+$/.test(model))
      throw new UsageError(`--model: expected GROUP#INDEX (e.g. modelsB#3), got ${model === undefined ? 'none' : `'${model}'`}`);
    const charts = { out: text('out'), 'slice-out': text('slice-out') };
    if (!json && !charts.out && !charts['slice-out'])
      throw new UsageError('--json, --out or --slice-out: at least one is required (the landscape to write, or its charts)');
    if (!charts.out && !charts['slice-out']) {
      const unused = Object.keys(PICTURE).find((flag) => text(flag) !== undefined);
      if (unused) throw new UsageError(`--${unused}: only with --out or --slice-out (a chart to draw)`);
    }
    const chartFile = (flag: keyof typeof charts, kind: ChartKind): ChartFile | undefined => {
      const file = charts[flag];
      return file === undefined
        ? undefined
        : { file, request: { kind, ...pictureOf(flag, file, text), options: { theme: themeOf(text) } } };
    };
    const grid = integer('grid', text('grid'), LANDSCAPE_GRID.min, LANDSCAPE_GRID.max) ?? LANDSCAPE_GRID.default;
    if (grid % 2 === 0) throw new UsageError(`--grid: expected an odd number (the model's point is the centre one), got ${grid}`);
    const span = text('span');
    if (span !== undefined && !(Number(span) > 0 && Number.isFinite(Number(span))))
      throw new UsageError(`--span: expected a number above 0, got '${span}'`);
    return {
      command,
      source: positionals[0],
      model,
      json,
      step: integer('step', text('step'), 0),
      directions: oneOf('directions', text('directions'), DIRECTIONS) ?? 'random',
      grid,
      span: span === undefined ? undefined : Number(span),
      seed: integer('seed', text('seed'), 0) ?? 0,
      out: chartFile('out', 'landscape'),
      sliceOut: chartFile('slice-out', 'slice'),
    };
  }
  if (command === 'animate') return animateOf(v, positionals);
  if (command === 'export') {
    const [kind, preset, ...more] = positionals;
    if (kind !== 'torch') {
      const what = kind === undefined ? 'expected what to export' : `unknown export '${kind}'`;
      throw new UsageError(`${what}: lab export torch <preset.json> writes a preset as a PyTorch script`);
    }
    if (preset === undefined || more.length) throw new UsageError(`expected one preset file after torch, got ${positionals.length - 1}`);
    const maxSteps = integer('max-steps', text('max-steps'), 1);
    return { command, preset, out: text('out'), maxSteps, group: text('group'), cell: text('cell') };
  }
  if (command === 'run') {
    if (positionals.length !== 1) throw new UsageError(`expected one preset file, got ${positionals.length}`);
    return {
      command,
      preset: positionals[0],
      out: text('out'),
      json: text('json'),
      csv: text('csv'),
      table: text('table'),
      models: text('models'),
      snapshots: text('snapshots'),
      maxSteps: integer('max-steps', text('max-steps'), 1),
      seed: integer('seed', text('seed'), 0),
      rng: oneOf('rng', text('rng'), RNG_MODES),
      workers: integer('workers', text('workers'), 1, MAX_WORKERS),
      backend: oneOf('backend', text('backend'), BACKENDS) ?? DEFAULT_BACKEND,
      shard: shardOf(text('shard')),
    };
  }
  if (command === 'worker') {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return {
      command,
      redis: redisUrl(text('redis')),
      concurrency: setting('concurrency', text('concurrency'), QUEUE_SETTINGS.concurrency),
      stopTimeout: setting('stop-timeout', text('stop-timeout'), QUEUE_SETTINGS.stopTimeout),
    };
  }
  if (command === 'submit') {
    if (positionals.length !== 1) throw new UsageError(`expected one preset file, got ${positionals.length}`);
    return {
      command,
      preset: positionals[0],
      redis: redisUrl(text('redis')),
      maxSteps: integer('max-steps', text('max-steps'), 1),
      seed: integer('seed', text('seed'), 0),
      jobSize: setting('job-size', text('job-size'), QUEUE_SETTINGS.jobSize),
      redisTimeout: setting('redis-timeout', text('redis-timeout'), QUEUE_SETTINGS.redisTimeout),
      workerNotice: setting('worker-notice', text('worker-notice'), QUEUE_SETTINGS.workerNotice),
      json: text('json'),
      out: text('out'),
      table: text('table'),
      models: text('models'),
      snapshots: text('snapshots'),
      resume: v.resume === true,
    };
  }
  if (command === 'merge') {
    if (!positionals.length) throw new UsageError('expected the part files to merge (lab run … --shard I/N --json part-I.json)');
    const json = text('json');
    if (!json) throw new UsageError('--json: required (the merged result to write)');
    return {
      command,
      parts: positionals,
      json,
      out: text('out'),
      table: text('table'),
      models: text('models'),
      snapshots: text('snapshots'),
    };
  }
  if (!positionals.length) throw new UsageError('expected a result file or run folder (or several, to compare)');
  if (positionals.length > MAX_COMPARED)
    throw new UsageError(`expected at most ${MAX_COMPARED} results to compare, got ${positionals.length}`);
  const asked = text('chart');
  if ((LANDSCAPE_CHARTS as readonly (string | undefined)[]).includes(asked))
    throw new UsageError(
      `--chart ${asked}: lab landscape draws it, from the plane it computes (lab landscape RESULT --model GROUP#INDEX --out FILE.png)`,
    );
  const chart = oneOf('chart', asked, RESULT_CHARTS);
  if (!chart) throw new UsageError(`--chart: required (${RESULT_CHARTS.join(', ')})`);
  const compared = positionals.length > 1;
  if (compared && !COMPARED_CHARTS.includes(chart))
    throw new UsageError(
      `--chart ${chart} draws one result, not ${positionals.length}: several are compared in --chart ${COMPARED_CHARTS.join(', ')}`,
    );
  const out = text('out');
  if (!out) throw new UsageError('--out: required (the .png or .svg file to write)');
  const picture = pictureOf('out', out, text);
  if (chart !== 'heatmap') {
    const unused = ['statistic', 'x', 'y'].find((flag) => text(flag) !== undefined);
    if (unused) throw new UsageError(`--${unused}: only for --chart heatmap (this is --chart ${chart})`);
  }
  const models = v.model as string[] | undefined;
  if (models && chart !== 'fit' && chart !== 'kinks')
    throw new UsageError(`--model: only for --chart fit or kinks (this is --chart ${chart})`);
  const wrong = models?.find((m) => !/#\d+$/.test(m));
  if (wrong !== undefined) throw new UsageError(`--model: expected GROUP#INDEX (e.g. modelsB#3), got '${wrong}'`);
  if (text('step') !== undefined && !STEP_CHARTS.includes(chart))
    throw new UsageError(`--step: only for --chart ${STEP_CHARTS.join(', ')} (this is --chart ${chart})`);
  if (text('step') !== undefined && compared) throw new UsageError(`--step: only with one result (this compares ${positionals.length})`);
  if (v.units && v['no-units']) throw new UsageError('--units and --no-units: give one or the other');
  const units = v.units ? true : v['no-units'] ? false : undefined;
  if (units !== undefined && chart !== 'fit')
    throw new UsageError(`--${units ? '' : 'no-'}units: only for --chart fit (this is --chart ${chart})`);
  const linearSteps = v['linear-steps'] === true || undefined;
  if (linearSteps && !LINEAR_STEP_CHARTS.includes(chart))
    throw new UsageError(`--linear-steps: only for --chart ${LINEAR_STEP_CHARTS.join(', ')} (this is --chart ${chart})`);
  const options = { theme: themeOf(text), title: text('title'), legend: v['no-legend'] !== true, units, linearSteps };
  return {
    command,
    sources: positionals,
    out,
    request: { kind: chart, ...picture, options },
    statistic: oneOf('statistic', text('statistic'), HEAT_STATISTICS),
    x: text('x'),
    y: text('y'),
    models,
    step: integer('step', text('step'), 0),
  };
}

/** The charts `--linear-steps` is for: those whose step axis can be linear. */
const LINEAR_STEP_CHARTS: readonly ChartKind[] = ['loss', 'bands', 'lr'];

/** The charts `--step` is for: the fit drawn at it, the charts against step marking it. */
const STEP_CHARTS: readonly ChartKind[] = ['fit', 'loss', 'bands', 'lr', 'kinks'];

/** A chart file's picture from --size and --pixel-ratio, its format from the file's extension (`flag` names it). */
function pictureOf(flag: string, out: string, text: (flag: string) => string | undefined): Omit<ChartPicture, 'kind'> {
  const format = formatOf(flag, out, oneOf('format', text('format'), CHART_FORMATS));
  const { width, height } = sizeOf(text('size'));
  const pixelRatio = integer('pixel-ratio', text('pixel-ratio'), 1, MAX_PIXEL_RATIO) ?? EXPORT_DEFAULTS.pixelRatio;
  const ratio = drawnRatio(format, pixelRatio);
  const pixels = drawnPixels({ format, width, height, pixelRatio });
  if (pixels > MAX_EXPORT_PIXELS) {
    const count = (n: number) => n.toLocaleString('en-US');
    throw new UsageError(
      `--size ${width}x${height}${ratio > 1 ? ` at --pixel-ratio ${ratio}` : ''}: ${count(pixels)} pixels, ` +
        `at most ${count(MAX_EXPORT_PIXELS)}: a smaller --size or --pixel-ratio`,
    );
  }
  return { format, width, height, pixelRatio };
}

/** `--theme`, by any of its names (`transparent`, from older scripts, is transparent-light). */
const themeOf = (text: (flag: string) => string | undefined) =>
  themeNamed(oneOf('theme', text('theme'), THEME_NAMES) ?? EXPORT_DEFAULTS.theme);

/** A chart's format: its file's extension (.png or .svg), which --format, where given, must agree with. */
function formatOf(flag: string, out: string, format: ChartFormat | undefined): ChartFormat {
  const extension = /\.([^./\\]+)$/.exec(out)?.[1].toLowerCase();
  const named = CHART_FORMATS.find((f) => f === extension);
  if (!named) throw new UsageError(`--${flag} ${out}: expected a file name ending in ${CHART_FORMATS.map((f) => `.${f}`).join(' or ')}`);
  if (format && format !== named)
    throw new UsageError(`--format ${format} with --out ${out}: a .${named} file; name it .${format}, or leave out --format`);
  return named;
}
