// The preset library: built-in presets (read-only, from resources/presets) and the user's own
// (<data>/presets/<id>.json). An invalid or foreign file is listed with its error, never hidden and
// never overwritten.
import { readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parsePreset, PresetError, type Preset } from '../../core/preset.ts';
import type { PresetEntry } from '../../core/records.ts';
import { readJson, slug, writeJsonAtomic } from './files.ts';

export class LibraryError extends Error {}

export class PresetLibrary {
  constructor(
    private readonly builtInDir: string,
    private readonly userDir: string,
  ) {}

  async list(): Promise<PresetEntry[]> {
    return [...(await this.scan(this.builtInDir, true)), ...(await this.scan(this.userDir, false))];
  }

  async get(id: string): Promise<PresetEntry> {
    const entry = (await this.list()).find((e) => e.id === id);
    if (!entry) throw new LibraryError(`no preset ${id}`);
    return entry;
  }

  /**
   * Saves a user preset: over `id` when given (a user preset), else as a new file named after it.
   * `where` names the data's origin in a validation error (an imported file).
   */
  async save(data: unknown, id?: string, where?: string): Promise<PresetEntry> {
    const preset = this.validate(data, where);
    let file: string;
    if (id) {
      const entry = await this.get(id);
      if (entry.builtIn) throw new LibraryError(`${entry.title} is built in and read-only: save it as a new preset`);
      if (entry.error) throw new LibraryError(`${entry.file} is not a valid preset (${entry.error}); it is left as it is`);
      file = entry.file;
    } else {
      file = await this.freeFile(preset.name);
    }
    await writeJsonAtomic(file, data);
    return this.entryOf(file, false);
  }

  async rename(id: string, name: string): Promise<PresetEntry> {
    const entry = await this.get(id);
    if (!entry.preset || entry.builtIn) throw new LibraryError(`${entry.title} cannot be renamed`);
    const renamed = { ...(await this.raw(entry)), name };
    const saved = await this.save(renamed);
    await rm(entry.file);
    return saved;
  }

  async duplicate(id: string): Promise<PresetEntry> {
    const entry = await this.get(id);
    if (!entry.preset) throw new LibraryError(`${entry.file} is not a valid preset (${entry.error})`);
    return this.save({ ...(await this.raw(entry)), name: `${entry.preset.name} (copy)` });
  }

  async remove(id: string): Promise<void> {
    const entry = await this.get(id);
    if (entry.builtIn) throw new LibraryError(`${entry.title} is built in and cannot be deleted`);
    await rm(entry.file);
  }

  /** Validates data as a preset; a bad one throws a LibraryError naming the field. */
  validate(data: unknown, where = 'preset'): Preset {
    try {
      return parsePreset(data, where);
    } catch (err) {
      if (err instanceof PresetError) throw new LibraryError(err.message);
      throw err;
    }
  }

  /** The file's own JSON (as the user wrote it, defaults not filled in). */
  async raw(entry: PresetEntry): Promise<Record<string, unknown>> {
    const read = await readJson(entry.file);
    if ('error' in read) throw new LibraryError(`${entry.file}: ${read.error}`);
    return read.data as Record<string, unknown>;
  }

  private async freeFile(name: string): Promise<string> {
    const taken = new Set((await this.list()).map((e) => e.file));
    const base = slug(name);
    for (let k = 1; ; k++) {
      const file = join(this.userDir, `${k === 1 ? base : `${base}-${k}`}.json`);
      if (!taken.has(file)) return file;
    }
  }

  private async scan(dir: string, builtIn: boolean): Promise<PresetEntry[]> {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    return Promise.all(names.map((n) => this.entryOf(join(dir, n), builtIn)));
  }

  private async entryOf(file: string, builtIn: boolean): Promise<PresetEntry> {
    const name = basename(file, '.json');
    const id = `${builtIn ? 'builtin' : 'user'}:${name}`;
    const read = await readJson(file);
    if ('error' in read) return { id, builtIn, file, title: `${name}.json`, preset: null, error: read.error };
    try {
      const preset = parsePreset(read.data, `${name}.json`);
      return { id, builtIn, file, title: preset.name, preset, error: null };
    } catch (err) {
      return { id, builtIn, file, title: `${name}.json`, preset: null, error: (err as Error).message };
    }
  }
}
