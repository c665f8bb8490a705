// File helpers for the data directory: atomic writes (a temporary file, then rename, so a crash never
// leaves half a file), reads that tell a missing file from a broken one, and the one check that keeps a
// name from reaching outside its folder.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

export async function writeJsonAtomic(file: string, data: unknown): Promise<void> {
  await writeAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** The parsed JSON of a file, or an error message saying what is wrong with it. */
export async function readJson(file: string): Promise<{ data: unknown } | { error: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { error: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    return { data: JSON.parse(text) };
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
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

/** A file-name-safe id from free text: "Seed: narrow vs wide" → "seed-narrow-vs-wide". */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'preset'
  );
}
