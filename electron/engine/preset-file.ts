// Reading a preset file from disk, with the file named in any error.
import { readFile } from 'node:fs/promises';
import { parsePresetText, PresetError, type Preset } from './preset.ts';

export async function loadPresetFile(file: string): Promise<Preset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PresetError(file, '', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parsePresetText(text, file);
}
