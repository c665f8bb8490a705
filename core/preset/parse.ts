// Reading plain data as a preset: the schema, the checks that span fields, and the sweep's expansion,
// with one error (PresetError) that names the first bad field in the user's words. A preset to train is
// parsed and expanded once (parseAndExpand), with the command line's overrides, and handed on as that.
import type { z } from 'zod';
import { controlProblem, excerpt, fieldPath, issuesToSay, problemOf, valueAt } from './problems.ts';
import { PRESET_FORMAT, PRESET_VERSION, PRESET_VERSIONS, PresetSchema, type Preset } from './preset.ts';
import { checkSweepStreams, expandSweep, SweepError, type Expanded } from './sweep.ts';

/** One problem of a preset, at its field's path ('' for the preset as a whole). */
export interface FieldProblem {
  path: string;
  problem: string;
}

/**
 * A preset that failed to load: `where` names the file, `path` the field. `problems` is every problem
 * found at once (all of the schema's: an editor shows each beside its field), the first being this one.
 */
export class PresetError extends Error {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly problem: string,
    readonly problems: readonly FieldProblem[] = [{ path, problem }],
  ) {
    super(`${where}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'PresetError';
  }
}

/** What `lab run` may change of a preset file from its command line (--seed, --rng, --max-steps). */
export interface PresetOverrides {
  seed?: number;
  rng?: Preset['rng'];
  maxSteps?: number;
}

/**
 * Validates plain data as a preset; throws one PresetError naming the first bad field (and carrying the
 * schema's others). `saved`: a file saved before, whose names may hold control characters (refused in a new
 * preset or run since): it still opens, and every output shows them escaped.
 */
export function parsePreset(data: unknown, where = 'preset', { saved = false } = {}): Preset {
  return expanded(validated(data, where, saved), where).source;
}

/**
 * Validates plain data as a preset and expands its sweep: the preset as written and as it trains. The
 * overrides apply to both, once the data is valid as written; a problem they make is named
 * `where (with command-line overrides)`. Throws one PresetError naming the first bad field.
 */
export function parseAndExpand(data: unknown, where = 'preset', overrides?: PresetOverrides): Expanded {
  const parsed = expanded(validated(data, where, false), where);
  return overrides ? overridden(parsed, overrides, `${where} (with command-line overrides)`) : parsed;
}

/** A valid preset's sweep expanded, a problem of it as the PresetError naming `where`. */
function expanded(preset: Preset, where: string): Expanded {
  return sweepChecked(where, () => expandSweep(preset));
}

/** The data as a preset, checked field by field and across fields (all but its sweep); `saved` as parsePreset takes it. */
function validated(data: unknown, where: string, saved: boolean): Preset {
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
  if (!parsed.success) throw schemaError(parsed.error.issues, data, where);
  const preset = parsed.data;
  if (!saved) {
    for (const [path, name] of namesOf(preset)) {
      const problem = controlProblem(name);
      if (problem) throw new PresetError(where, path, problem);
    }
  }
  const largest = preset.groups.reduce((most, g) => Math.max(most, g.models), 0);
  preset.log.models.forEach((m, i) => {
    if (m >= largest) throw new PresetError(where, `log.models[${i}]`, `model ${m} does not exist (the largest group has ${largest})`);
  });
  return preset;
}

/** The names a preset gives, with their fields: its own, its groups' and its sweep's labels, which tables and logs print. */
function namesOf(preset: Preset): [path: string, name: string][] {
  return [
    ['name', preset.name],
    ...preset.groups.map((g, k): [string, string] => [`groups[${k}].name`, g.name]),
    ...(preset.sweep?.axes ?? []).flatMap((a, k) => (a.labels ?? []).map((l, j): [string, string] => [`sweep.axes[${k}].labels[${j}]`, l])),
  ];
}

/** The fields the overrides set, as the schema checks them. */
const OverriddenSchema = PresetSchema.pick({ seed: true, rng: true, stop: true });

/**
 * The overrides on a valid preset, as written and as it trains, checked as the whole preset would be. They
 * change neither a sweep's cells nor their streams, so the expansion stands.
 */
function overridden({ source, preset, sweep, streams }: Expanded, overrides: PresetOverrides, where: string): Expanded {
  const changed = {
    seed: overrides.seed ?? source.seed,
    rng: overrides.rng ?? source.rng,
    stop: { ...source.stop, maxSteps: overrides.maxSteps ?? source.stop.maxSteps },
  };
  const checked = OverriddenSchema.safeParse(changed);
  if (!checked.success) throw schemaError(checked.error.issues, changed, where);
  sweepChecked(where, () => checkSweepStreams({ ...source, ...changed }));
  return { source: { ...source, ...changed }, preset: { ...preset, ...changed }, sweep, streams };
}

/** `check`'s result, a SweepError it throws as the PresetError naming `where`. */
function sweepChecked<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof SweepError) throw new PresetError(where, err.path, err.problem);
    throw err;
  }
}

/** The schema's issues as one PresetError naming the first one's field in `data`, and carrying them all. */
function schemaError(issues: z.core.$ZodIssue[], data: unknown, where: string): PresetError {
  const problems = issuesToSay(issues).map((issue) => ({
    path: fieldPath(issue.path),
    problem: problemOf(issue, valueAt(data, issue.path)),
  }));
  return new PresetError(where, problems[0].path, problems[0].problem, problems);
}
