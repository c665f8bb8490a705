// Reading plain data as a preset: the schema, the checks that span fields, and the sweep's expansion,
// with one error (PresetError) that names the first bad field in the user's words.
import { excerpt, fieldPath, problemOf, valueAt } from './problems.ts';
import { PRESET_FORMAT, PRESET_VERSION, PRESET_VERSIONS, PresetSchema, type Preset } from './preset.ts';
import { expandSweep, SweepError } from './sweep.ts';

/** A preset that failed to load: `where` names the file, `path` the field. */
export class PresetError extends Error {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${where}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'PresetError';
  }
}

/** Validates plain data as a preset; throws one PresetError naming the first bad field. */
export function parsePreset(data: unknown, where = 'preset'): Preset {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PresetError(where, '', 'expected a JSON object');
  }
  const head = data as Record<string, unknown>;
  if (head.format !== PRESET_FORMAT) {
    throw new PresetError(where, 'format', `expected "${PRESET_FORMAT}", got ${excerpt(head.format)} (not a Minima Lab preset?)`);
  }
  if (!(PRESET_VERSIONS as readonly unknown[]).includes(head.version)) {
    throw new PresetError(
      where,
      'version',
      `version ${excerpt(head.version)} is not supported (this Minima Lab reads versions ${PRESET_VERSIONS.join(' and ')})`,
    );
  }
  if (head.version === 1 && 'sweep' in head) {
    throw new PresetError(where, 'version', `a sweep needs format version ${PRESET_VERSION} (this file says 1)`);
  }
  const parsed = PresetSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PresetError(where, fieldPath(issue.path), problemOf(issue, valueAt(data, issue.path)));
  }
  const preset = parsed.data;
  const largest = preset.groups.reduce((most, g) => Math.max(most, g.models), 0);
  preset.log.models.forEach((m, i) => {
    if (m >= largest) throw new PresetError(where, `log.models[${i}]`, `model ${m} does not exist (the largest group has ${largest})`);
  });
  try {
    expandSweep(preset);
  } catch (err) {
    if (err instanceof SweepError) throw new PresetError(where, err.path, err.problem);
    throw err;
  }
  return preset;
}
