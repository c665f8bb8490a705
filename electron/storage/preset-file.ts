// Reading a preset file from disk, with the file named in any error.
import type { Preset } from '../../core/preset/preset.ts';
import { parseAndExpand, PresetError, type PresetOverrides } from '../../core/preset/parse.ts';
import type { Expanded } from '../../core/preset/sweep.ts';
import { readJson } from './files.ts';

/** A preset file as written and as it trains (parseAndExpand), with the command line's overrides. */
export async function loadAndExpand(file: string, overrides?: PresetOverrides): Promise<Expanded> {
  const read = await readJson(file);
  if ('error' in read) throw new PresetError(file, '', read.error);
  return parseAndExpand(read.data, file, overrides);
}

/** A preset file as written. */
export async function loadPresetFile(file: string): Promise<Preset> {
  return (await loadAndExpand(file)).source;
}
