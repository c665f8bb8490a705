// Command-line parsing for `lab`: one clear error (UsageError, exit code 2) for any bad flag.
import { parseArgs } from 'node:util';
import type { Backend } from '../engine/events.ts';
import { BACKENDS } from '../engine/events.ts';

export class UsageError extends Error {}

export const USAGE = `usage: lab run <preset.json> [--out FILE.out] [--json FILE.json] [--max-steps N] [--seed S]
               [--rng torch|per-model] [--workers N] [--backend ${BACKENDS.join('|')}]`;

export interface RunCommand {
  command: 'run';
  preset: string;
  out?: string;
  json?: string;
  maxSteps?: number;
  seed?: number;
  rng?: 'torch' | 'per-model';
  workers?: number;
  backend: Backend;
}

function integer(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${flag}: expected an integer >= ${min}, got '${text}'`);
  }
  return Number(text);
}

function oneOf<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got '${text}'`);
  return text as T;
}

export function parseCommand(argv: string[]): RunCommand {
  const [command, ...rest] = argv;
  if (command !== 'run') throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: {
        out: { type: 'string' }, json: { type: 'string' }, 'max-steps': { type: 'string' }, seed: { type: 'string' },
        rng: { type: 'string' }, workers: { type: 'string' }, backend: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one preset file, got ${positionals.length}`);
  return {
    command: 'run',
    preset: positionals[0],
    out: values.out,
    json: values.json,
    maxSteps: integer('max-steps', values['max-steps'], 1),
    seed: integer('seed', values.seed, 0),
    rng: oneOf('rng', values.rng, ['torch', 'per-model'] as const),
    workers: integer('workers', values.workers, 1),
    backend: oneOf('backend', values.backend, BACKENDS) ?? 'auto',
  };
}
