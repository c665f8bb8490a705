// File helpers for the data directory: atomic writes (a temporary file, then rename, so a crash never
// leaves half a file), reads that tell a missing file from a broken one, and the one check that keeps a
// name from reaching outside its folder.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { firstProblem } from '../../core/preset/problems.ts';

/** The extension of a file being written: one left behind was cut off by a crash, and is removed at start. */
const TEMPORARY = '.tmp';

/** Writes `file` whole or not at all: into a temporary beside it, then renamed over it; a failed write leaves no temporary. */
async function throughTemporary(file: string, write: (temporary: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}${TEMPORARY}`;
  try {
    await write(temporary);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

export async function writeAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await throughTemporary(file, (temporary) => writeFile(temporary, text));
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
    const handle = await open(temporary, 'w');
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

/** The parsed JSON of a file, or an error message saying what is wrong with it. */
export async function readJson(file: string): Promise<{ data: unknown } | Unread> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { error: `cannot read the file: ${fileProblem(err)}`, missing: (err as NodeJS.ErrnoException).code === 'ENOENT' };
  }
  try {
    return { data: JSON.parse(text) };
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
}

/** A JSON file read and validated by `schema`; what is wrong with it otherwise (the first problem, with its field). */
export async function readValidJson<T extends z.ZodType>(file: string, schema: T): Promise<{ data: z.output<T> } | Unread> {
  const read = await readJson(file);
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
 * "seed-narrow-vs-wide" (full-width and accented letters folded to ASCII; Windows' device names avoided).
 */
export function slug(text: string, fallback = 'preset'): string {
  const name =
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback;
  return RESERVED.test(name) ? `${name}-${fallback}` : name;
}
