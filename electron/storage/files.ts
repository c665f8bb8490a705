// File helpers for the data directory: atomic writes (a temporary file, then rename, so a crash never
// leaves half a file, and a link at the target is replaced, never followed), reads that tell a missing file
// from a broken one and never quote its content, and the one check that keeps a name from reaching
// outside its folder.
import transliterate from '@sindresorhus/transliterate';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { firstProblem } from '../../core/preset/problems.ts';
import { markOf, markText, stillRunning, thisProcess } from './processes.ts';

/** The extension of a file being written: one left behind was cut off by a crash, and is removed at start. */
const TEMPORARY = '.tmp';

/**
 * Writes `file` whole or not at all: into a temporary beside it (made new: never an existing file or link),
 * then renamed over it, which replaces a link there rather than writing where it points; a failed write
 * leaves no temporary. The temporary's name carries its writer (`result.json.4242-8812345.a1b2c3d4e5f6.tmp`):
 * those of a writer killed mid-write are removed at the next write to the file.
 */
async function throughTemporary(file: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await removeAbandoned(file);
  const temporary = `${file}.${markText(thisProcess())}.${randomBytes(6).toString('hex')}${TEMPORARY}`;
  try {
    await write(temporary);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Removes the temporaries of `file` whose writer no longer runs. */
async function removeAbandoned(file: string): Promise<void> {
  const prefix = `${basename(file)}.`;
  for (const name of await readdir(dirname(file)).catch(() => [] as string[])) {
    const writer =
      name.startsWith(prefix) && name.endsWith(TEMPORARY) && /^(.+)\.[0-9a-f]{12}$/.exec(name.slice(prefix.length, -TEMPORARY.length));
    const mark = writer && markOf(writer[1]);
    if (mark && !stillRunning(mark)) await rm(join(dirname(file), name), { force: true });
  }
}

export async function writeAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await throughTemporary(file, (temporary) => writeFile(temporary, text, { flag: 'wx' }));
}

export async function writeJsonAtomic(file: string, data: unknown): Promise<void> {
  await writeAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * Writes JSON too big for one string (a result with thousands of models): the array at `key` element by
 * element, the rest as usual; atomically, like writeJsonAtomic.
 */
export async function writeJsonStreamed(file: string, value: Record<string, unknown>, key: string): Promise<void> {
  await throughTemporary(file, async (temporary) => {
    const handle = await open(temporary, 'wx');
    try {
      const { [key]: items, ...rest } = value;
      const head = JSON.stringify(rest);
      await handle.write(`${head.slice(0, -1)}${head === '{}' ? '' : ','}${JSON.stringify(key)}:[`);
      let first = true;
      for (const item of items as unknown[]) {
        await handle.write(`${first ? '' : ','}${JSON.stringify(item)}`);
        first = false;
      }
      await handle.write(']}\n');
    } finally {
      await handle.close();
    }
  });
}

/** Removes the temporary files a crash left in `dir` (not below it). */
export async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith(TEMPORARY)).map((n) => rm(join(dir, n), { force: true })));
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a folder on its path is a file',
  EEXIST: 'a folder on its path is a file', // what making its folder says when a file is in the way
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'a read-only file system',
  ENOSPC: 'the disk is full',
};

/** Why a file could not be read or written, in words, with the system's code to search for. */
export function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${FILE_PROBLEMS[code] ?? 'a system error'} (${code})` : (err as Error).message;
}

/** Why a file gave no data: what is wrong, in words; `missing` when there is no such file. */
export interface Unread {
  error: string;
  missing?: boolean;
}

/**
 * A file Minima Lab wrote itself (in a run folder), read only where it is no link: one there was planted,
 * and would show another file's content (a log, an error quoting it).
 */
export async function readOwnFile(file: string): Promise<Buffer> {
  if ((await lstat(file)).isSymbolicLink()) throw new Error('it is a link, which Minima Lab does not follow in a folder it wrote itself');
  return readFile(file);
}

/** How a file to read is taken: `own`, a file Minima Lab wrote itself (readOwnFile). */
export interface ReadOptions {
  own?: boolean;
}

/**
 * The parsed JSON of a file, or an error message saying what is wrong with it and where, never quoting
 * its content (a link may have pointed at any file). A UTF-8 byte-order mark, which some editors write, is
 * skipped.
 */
export async function readJson(file: string, { own = false }: ReadOptions = {}): Promise<{ data: unknown } | Unread> {
  let text: string;
  try {
    text = (own ? await readOwnFile(file) : await readFile(file)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    return { error: `cannot read the file: ${fileProblem(err)}`, missing: (err as NodeJS.ErrnoException).code === 'ENOENT' };
  }
  try {
    return { data: JSON.parse(text) };
  } catch (err) {
    return { error: `not valid JSON: ${jsonProblem(text, (err as Error).message)}` };
  }
}

/** The longest text whose JSON mistake is found by its place (V8 names the place of some mistakes only). */
const LOCATED_JSON = 1024 * 1024;

/**
 * Where JSON.parse stopped in `text` and why, from its message (which quotes the text: never passed on):
 * "cut off at line 3" or "a mistake at line 2, column 7". Where V8 gives no position (an unexpected
 * character), it is the end of the longest start of the text that reads as JSON so far.
 */
function jsonProblem(text: string, message: string): string {
  const at = (k: number) => {
    const lines = text.slice(0, k).split('\n');
    return `line ${lines.length}, column ${lines.at(-1)!.length + 1}`;
  };
  const position = /at position (\d+)/.exec(message);
  if (/^Unexpected end/.test(message) || Number(position?.[1]) >= text.length) return `cut off at ${at(text.length)}`;
  if (position) return `a mistake at ${at(Number(position[1]))}`;
  if (text.length > LOCATED_JSON) return 'an unexpected character';
  const readsSoFar = (end: number) => {
    try {
      JSON.parse(text.slice(0, end));
      return true;
    } catch (err) {
      return !/^Unexpected token/.test((err as Error).message);
    }
  };
  let [good, bad] = [0, text.length]; // the text to `good` reads so far, to `bad` not
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    if (readsSoFar(middle)) good = middle;
    else bad = middle;
  }
  return `an unexpected character at ${at(good)}`;
}

/** A JSON file read and validated by `schema`; what is wrong with it otherwise (the first problem, with its field). */
export async function readValidJson<T extends z.ZodType>(
  file: string,
  schema: T,
  options?: ReadOptions,
): Promise<{ data: z.output<T> } | Unread> {
  const read = await readJson(file, options);
  if ('error' in read) return read;
  const parsed = schema.safeParse(read.data);
  return parsed.success ? { data: parsed.data } : { error: firstProblem(parsed.error, read.data, 'the file') };
}

/**
 * `name` inside `folder`, one level down: a name that would resolve anywhere else (a path, '..', an
 * absolute path) is refused, so no id from outside ever reaches another part of the file system.
 */
export function inside(folder: string, name: string): string {
  const path = resolve(folder, name);
  if (!name || basename(name) !== name || name === '.' || name === '..' || path !== join(resolve(folder), name)) {
    throw new Error(`not a name inside ${basename(folder)}/: ${JSON.stringify(name.slice(0, 80))}`);
  }
  return path;
}

/** Names Windows keeps for devices, whatever the extension: a file so named cannot be made there. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * A file-name-safe name from free text, the same on every system: "Seed: narrow vs wide" →
 * "seed-narrow-vs-wide", "Résumé" → "resume", "Ørsted" → "orsted", "Straße" → "strasse" (full-width forms
 * folded by NFKC, then letters to ASCII by transliteration; Windows' device names avoided).
 */
export function slug(text: string, fallback = 'preset'): string {
  const name =
    transliterate(text.normalize('NFKC'))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback;
  return RESERVED.test(name) ? `${name}-${fallback}` : name;
}
