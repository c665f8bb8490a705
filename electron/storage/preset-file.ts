// Reading a preset file from disk, with the file named in any error.
import { type Preset } from '../../core/preset/preset.ts';
import { parsePreset, PresetError } from '../../core/preset/parse.ts';
import { readJson } from './files.ts';

export async function loadPresetFile(file: string): Promise<Preset> {
  const read = await readJson(file);
  if ('error' in read) throw new PresetError(file, '', read.error);
  return parsePreset(read.data, file);
}
