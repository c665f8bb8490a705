// The app's settings (settings.json in its data folder): read with defaults for anything missing or
// broken, written atomically.
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../core/results/records.ts';
import { readJson, removeLeftovers, writeJsonAtomic } from './files.ts';
import { serial } from './serial.ts';

export class SettingsStore {
  private readonly file: string;
  /** Reads and writes, one after another: a read never sees the file before a change asked for earlier. */
  private readonly inOrder = serial();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  /** The settings, once every change asked for before is written (a window reloaded at once reads its last change). */
  get(): Promise<Settings> {
    return this.inOrder(() => this.read());
  }

  /** The file as it is; a missing or unreadable file gives the defaults (it is rewritten on the next change). */
  private async read(): Promise<Settings> {
    const read = await readJson(this.file);
    const parsed = 'error' in read ? null : SettingsSchema.safeParse(read.data);
    return parsed?.success ? parsed.data : SettingsSchema.parse({});
  }

  /** Removes a half-written settings file a crash left behind. */
  tidy(): Promise<void> {
    return removeLeftovers(dirname(this.file));
  }

  /** Applies a change; changes are written one after another, so none is lost. */
  update(change: Partial<Settings>): Promise<Settings> {
    return this.inOrder(async () => {
      const settings = { ...(await this.read()), ...change };
      await writeJsonAtomic(this.file, settings);
      return settings;
    });
  }
}
