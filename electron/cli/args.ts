// Command-line parsing for `lab`: one clear error (UsageError, exit code 2) for any bad flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  CHART_FORMATS,
  CHART_KINDS,
  drawnPixels,
  drawnRatio,
  EXPORT_DEFAULTS,
  HEAT_STATISTICS,
  THEMES,
  type ChartFormat,
  type ChartKind,
  type HeatStatistic,
  type Theme,
} from '../../core/charts/kinds.ts';
import { BACKENDS, DEFAULT_BACKEND, type Backend } from '../../core/events.ts';
import { EXPORT_SIDE, MAX_EXPORT_PIXELS, MAX_PIXEL_RATIO, MAX_WORKERS } from '../../core/ipc/contract.ts';
import { LIMITS, RNG_MODES } from '../../core/preset.ts';
import { isRedisUrl, shownUrl } from '../../core/records.ts';
import type { Shard } from '../engine/shard.ts';

export class UsageError extends Error {}

export const USAGE = `usage: lab run <preset.json> [--out FILE.out] [--json FILE.json] [--csv FILE.csv] [--table FILE.csv] [--models FILE.jsonl]
               [--max-steps N] [--seed S] [--rng ${RNG_MODES.join('|')}] [--workers N] [--backend ${BACKENDS.join('|')}] [--shard I/N]
       lab merge <part.json>... --json FILE.json [--out FILE.out] [--table FILE.csv] [--models FILE.jsonl]
       lab worker --redis URL [--concurrency N]
       lab submit <preset.json> --redis URL [--json FILE.json] [--out FILE.out] [--table FILE.csv] [--models FILE.jsonl]
               [--job-size N] [--resume]
       lab chart <result.json | run folder> --chart ${CHART_KINDS.join('|')} --out FILE [--format png|svg]
               [--size WIDTHxHEIGHT] [--pixel-ratio N] [--theme light|dark|transparent] [--title TEXT] [--no-legend]
               [--statistic ${HEAT_STATISTICS.join('|')}] [--x FIELD] [--y FIELD] (heatmap: what colours the cells, the sweep fields across and down)`;

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
}

export interface ChartCommand {
  command: 'chart';
  source: string;
  chart: ChartKind;
  format: ChartFormat;
  width: number;
  height: number;
  pixelRatio: number;
  theme: Theme;
  title?: string;
  legend: boolean;
  out: string;
  statistic?: HeatStatistic;
  /** The heatmap's sweep fields across and down (e.g. hidden, optimizer.lr; group for the preset's groups). */
  x?: string;
  y?: string;
}

function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag}: expected an integer ${range}, got '${text}'`);
  }
  return Number(text);
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got '${text}'`);
  return text as T;
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `lab worker`: trains jobs from a BullMQ queue on Redis. */
export interface WorkerCommand {
  command: 'worker';
  redis: string;
  concurrency: number;
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
  jobSize?: number;
  resume: boolean;
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

export function parseCommand(argv: string[]): RunCommand | ChartCommand | MergeCommand | WorkerCommand | SubmitCommand {
  const [command, ...rest] = argv;
  if (command === 'run') {
    const { values, positionals } = parse(rest, {
      out: { type: 'string' },
      json: { type: 'string' },
      csv: { type: 'string' },
      table: { type: 'string' },
      models: { type: 'string' },
      'max-steps': { type: 'string' },
      seed: { type: 'string' },
      rng: { type: 'string' },
      workers: { type: 'string' },
      backend: { type: 'string' },
      shard: { type: 'string' },
    });
    const v = values as Record<string, string | undefined>;
    if (positionals.length !== 1) throw new UsageError(`expected one preset file, got ${positionals.length}`);
    return {
      command,
      preset: positionals[0],
      out: v.out,
      json: v.json,
      csv: v.csv,
      table: v.table,
      models: v.models,
      maxSteps: integer('max-steps', v['max-steps'], 1),
      seed: integer('seed', v.seed, 0),
      rng: oneOf('rng', v.rng, RNG_MODES),
      workers: integer('workers', v.workers, 1, MAX_WORKERS),
      backend: oneOf('backend', v.backend, BACKENDS) ?? DEFAULT_BACKEND,
      shard: shardOf(v.shard),
    };
  }
  if (command === 'worker') {
    const { values, positionals } = parse(rest, { redis: { type: 'string' }, concurrency: { type: 'string' } });
    const v = values as Record<string, string | undefined>;
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return { command, redis: redisUrl(v.redis), concurrency: integer('concurrency', v.concurrency, 1) ?? 1 };
  }
  if (command === 'submit') {
    const { values, positionals } = parse(rest, {
      redis: { type: 'string' },
      json: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      models: { type: 'string' },
      'job-size': { type: 'string' },
      resume: { type: 'boolean' },
    });
    const v = values as Record<string, string | undefined> & { resume?: boolean };
    if (positionals.length !== 1) throw new UsageError(`expected one preset file, got ${positionals.length}`);
    return {
      command,
      preset: positionals[0],
      redis: redisUrl(v.redis),
      json: v.json,
      out: v.out,
      table: v.table,
      models: v.models,
      jobSize: integer('job-size', v['job-size'], 1),
      resume: v.resume ?? false,
    };
  }
  if (command === 'merge') {
    const { values, positionals } = parse(rest, {
      json: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      models: { type: 'string' },
    });
    const v = values as Record<string, string | undefined>;
    if (!positionals.length) throw new UsageError('expected the part files to merge (lab run … --shard I/N --json part-I.json)');
    if (!v.json) throw new UsageError('--json: required (the merged result to write)');
    return { command, parts: positionals, json: v.json, out: v.out, table: v.table, models: v.models };
  }
  if (command === 'chart') {
    const { values, positionals } = parse(rest, {
      chart: { type: 'string' },
      format: { type: 'string' },
      size: { type: 'string' },
      'pixel-ratio': { type: 'string' },
      theme: { type: 'string' },
      title: { type: 'string' },
      'no-legend': { type: 'boolean' },
      out: { type: 'string' },
      statistic: { type: 'string' },
      x: { type: 'string' },
      y: { type: 'string' },
    });
    const v = values as Record<string, string | undefined> & { 'no-legend'?: boolean };
    if (positionals.length !== 1) throw new UsageError(`expected one result file or run folder, got ${positionals.length}`);
    const chart = oneOf('chart', v.chart, CHART_KINDS);
    if (!chart) throw new UsageError(`--chart: required (${CHART_KINDS.join(', ')})`);
    if (!v.out) throw new UsageError('--out: required (the file to write)');
    const format = oneOf('format', v.format, CHART_FORMATS) ?? (v.out.toLowerCase().endsWith('.svg') ? 'svg' : 'png');
    const { width, height } = sizeOf(v.size);
    const pixelRatio = integer('pixel-ratio', v['pixel-ratio'], 1, MAX_PIXEL_RATIO) ?? EXPORT_DEFAULTS.pixelRatio;
    const ratio = drawnRatio(format, pixelRatio);
    const pixels = drawnPixels({ format, width, height, pixelRatio });
    if (pixels > MAX_EXPORT_PIXELS) {
      const count = (n: number) => n.toLocaleString('en-US');
      throw new UsageError(
        `--size ${width}x${height}${ratio > 1 ? ` at --pixel-ratio ${ratio}` : ''}: ${count(pixels)} pixels, ` +
          `at most ${count(MAX_EXPORT_PIXELS)}: a smaller --size or --pixel-ratio`,
      );
    }
    return {
      command,
      source: positionals[0],
      chart,
      format,
      width,
      height,
      pixelRatio,
      theme: oneOf('theme', v.theme, THEMES) ?? EXPORT_DEFAULTS.theme,
      title: v.title,
      legend: !v['no-legend'],
      out: v.out,
      statistic: oneOf('statistic', v.statistic, HEAT_STATISTICS),
      x: v.x,
      y: v.y,
    };
  }
  throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
}
