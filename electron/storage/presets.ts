// The preset library: built-in presets (read-only, from resources/presets) and the user's own
// (<data>/presets/<id>.json). An invalid or foreign file is listed with its error, never hidden and
// never overwritten. Changes to the library happen one at a time (a queue), so overlapping saves,
// renames and deletes never lose each other; what is written is the validated preset.
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Preset } from '../../core/preset/preset.ts';
import { parsePreset } from '../../core/preset/parse.ts';
import type { PresetEntry } from '../../core/results/records.ts';
import { inside, readJson, removeLeftovers, slug, writeJsonAtomic } from './files.ts';
import { serial } from './serial.ts';

export class PresetLibrary {
  /** Runs one change of the library after those before it. */
  private readonly change = serial();
  /** Entries by file, with the file's size and time they were read at: an unchanged file is not parsed again. */
  private readonly cache = new Map<string, { stamp: string; entry: PresetEntry }>();

  constructor(
    private readonly builtInDir: string,
    private readonly userDir: string,
  ) {}

  async list(): Promise<PresetEntry[]> {
    return [...(await this.scan(this.builtInDir, true)), ...(await this.scan(this.userDir, false))];
  }

  /** Removes the temporary files a crash left behind. */
  tidy(): Promise<void> {
    return this.change(() => removeLeftovers(this.userDir));
  }

  /**
   * Saves a user preset: over `id` when given (a user preset), else as a new file named after it.
   * `where` names the data's origin in a validation error (an imported file).
   */
  save(data: unknown, id?: string, where?: string): Promise<PresetEntry> {
    const preset = parsePreset(data, where); // before the queue: a bad preset waits for nothing
    return this.change(() => this.write(preset, id));
  }

  rename(id: string, name: string): Promise<PresetEntry> {
    return this.change(async () => {
      const entry = await this.get(id);
      if (!entry.preset || entry.builtIn) throw new Error(`${entry.title} cannot be renamed`);
      // a new file, its names checked as a new preset's (one saved before may hold control characters)
      const saved = await this.write(parsePreset({ ...entry.preset, name }, basename(entry.file)));
      await rm(entry.file);
      return saved;
    });
  }

  duplicate(id: string): Promise<PresetEntry> {
    return this.change(async () => {
      const entry = await this.get(id);
      if (!entry.preset) throw new Error(`${basename(entry.file)} is not a valid preset (${entry.error})`);
      return this.write(parsePreset({ ...entry.preset, name: `${entry.preset.name} (copy)` }, basename(entry.file)));
    });
  }

  remove(id: string): Promise<void> {
    return this.change(async () => {
      const entry = await this.get(id);
      if (entry.builtIn) throw new Error(`${entry.title} is built in and cannot be deleted`);
      await rm(entry.file);
    });
  }

  private async get(id: string): Promise<PresetEntry> {
    const entry = (await this.list()).find((e) => e.id === id);
    if (!entry) throw new Error(`there is no preset ${id} (it was deleted or renamed)`);
    return entry;
  }

  /** Writes a validated preset over `id`, or to a free file named after it (chosen inside the queue, so two saves never pick the same). */
  private async write(preset: Preset, id?: string): Promise<PresetEntry> {
    let file: string;
    if (id) {
      const entry = await this.get(id);
      if (entry.builtIn) throw new Error(`${entry.title} is built in and read-only: save it as a new preset`);
      if (entry.error) throw new Error(`${basename(entry.file)} is not a valid preset (${entry.error}); it is left as it is`);
      file = entry.file;
    } else {
      file = await this.freeFile(preset.name);
    }
    await writeJsonAtomic(file, preset);
    return this.entryOf(file, false);
  }

  private async freeFile(name: string): Promise<string> {
    const taken = new Set((await this.list()).map((e) => e.file));
    const base = slug(name);
    for (let k = 1; ; k++) {
      const file = inside(this.userDir, `${k === 1 ? base : `${base}-${k}`}.json`);
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
    const info = await stat(file).catch(() => null);
    const stamp = info ? `${info.ino}:${info.size}:${info.mtimeMs}` : '';
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) return cached.entry;
    const name = basename(file, '.json');
    const id = `${builtIn ? 'builtin' : 'user'}:${name}`;
    const read = await readJson(file);
    let entry: PresetEntry;
    if ('error' in read) entry = { id, builtIn, file, title: `${name}.json`, preset: null, error: read.error };
    else {
      try {
        const preset = parsePreset(read.data, `${name}.json`, { saved: true });
        entry = { id, builtIn, file, title: preset.name, preset, error: null };
      } catch (err) {
        entry = { id, builtIn, file, title: `${name}.json`, preset: null, error: (err as Error).message };
      }
    }
    this.cache.set(file, { stamp, entry });
    return entry;
  }
}
