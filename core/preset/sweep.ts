// A sweep crosses every group of a preset with every combination of its axes' values: each combination
// of a group is a cell, trained as a group of its own with `models` seeds. Expanding is pure and cheap
// (at most LIMITS.groups cells), so the editor, the CLI and the engine all expand the same way.
import { z } from 'zod';
import { fieldLabel } from './labels.ts';
import { defaultsOf, GroupSchema, LIMITS, type ChoiceField, type ChoiceKind, type Group, type Preset } from './preset.ts';
import { excerpt, problemOf } from './problems.ts';

export interface SweepAxisInfo {
  /** The group field it varies, e.g. `optimizer.lr`. */
  field: string;
  /** The field's name as the editor shows it: "Learning rate". */
  title: string;
  /** Each value as trained (defaults filled in). */
  values: unknown[];
  /** How tables and charts name each value. */
  labels: string[];
}

export interface SweepCell {
  /** The cell's group name in the expanded preset, e.g. `net_w16_cyclic`. */
  group: string;
  /** The preset's group it comes from. */
  base: string;
  /** Index of its value on each axis. */
  at: number[];
}

/** What a run of a sweep keeps of it: the axes and where each cell sits on them. */
export interface SweepInfo {
  /** The preset's own groups: more than one makes the group a dimension of the sweep too. */
  bases: string[];
  axes: SweepAxisInfo[];
  cells: SweepCell[];
  curvesPerCell: number;
}

export const SweepInfoSchema = z.strictObject({
  bases: z.array(z.string()),
  axes: z.array(z.strictObject({ field: z.string(), title: z.string(), values: z.array(z.unknown()), labels: z.array(z.string()) })),
  cells: z.array(z.strictObject({ group: z.string(), base: z.string(), at: z.array(z.int().nonnegative()) })),
  curvesPerCell: z.int().nonnegative(),
}) satisfies z.ZodType<SweepInfo>;

/** A preset as written and as it trains: the sweep expanded into plain groups, and each group's random-stream key. */
export interface Expanded {
  /** As written (validated, with any command-line overrides): what a run stores, a queue's jobs carry and a shard's part hashes. */
  source: Preset;
  /** Without `sweep`; a sweep's groups are its cells. */
  preset: Preset;
  sweep: SweepInfo | null;
  /**
   * Per group, the key its models' per-model streams derive from (with the seed and the model's index):
   * the group's index in a plain preset; in a sweep a hash of the cell's group and values, so adding a
   * value to an axis leaves every other cell's models as they were.
   */
  streams: number[];
}

/** A sweep whose values do not make valid groups: `path` is the value's place in the preset. */
export class SweepError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'SweepError';
  }
}

/** JSON with object keys sorted: the same value always gives the same text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a, 32 bits: a cell's stream key from its description. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A value as a table or an axis names it: 16, "8, 8", "cyclic triangular2", "fresh 100". */
function valueLabel(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueLabel).join(', ');
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const detail = v.kind === 'cyclic' ? v.mode : v.kind === 'leaky_relu' ? v.negativeSlope : (v.batchSize ?? v.lr);
    return [v.kind, detail].filter((p) => p !== undefined).join(' ');
  }
  return String(value);
}

/** A label as part of a group name: no spaces, short. */
const token = (label: string) => label.trim().replace(/\s+/g, '-').replace(/,-?/g, 'x').slice(0, 24);

/** The group with one field set: a `.kind` field starts that kind from its defaults (as the editor does). */
function withField(group: Group, field: string, value: unknown): Record<string, unknown> {
  const [head, sub] = field.split('.') as [keyof Group, string | undefined];
  if (sub === undefined) return { ...group, [head]: value };
  const inner = group[head] as unknown as Record<string, unknown>;
  if (sub === 'kind' && typeof value === 'string' && value !== inner.kind) {
    const kinds = ['activation', 'data', 'optimizer', 'schedule'] as const;
    if ((kinds as readonly string[]).includes(head)) {
      try {
        return { ...group, [head]: defaultsOf(head as ChoiceField, value as ChoiceKind<ChoiceField>) };
      } catch {
        // not one of its kinds: the schema says so below
      }
    }
  }
  return { ...group, [head]: { ...inner, [sub]: value } };
}

/** A field's value inside a group. */
function fieldOf(group: Group, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], group);
}

/** A sweep's one demand on the rest of its preset (checked again where the command line sets `rng`); throws SweepError. */
export function checkSweepStreams(preset: Pick<Preset, 'rng' | 'sweep'>): void {
  if (preset.sweep && preset.rng !== 'per-model') {
    throw new SweepError(
      'rng',
      'a sweep needs per-model random streams (rng: per-model): each model’s stream comes from the seed, its cell and its index',
    );
  }
}

/** Expands a validated preset's sweep (a preset without one stays as it is); throws SweepError for a bad value. */
export function expandSweep(preset: Preset): Expanded {
  const { sweep, ...plain } = preset;
  if (!sweep) return { source: preset, preset: plain, sweep: null, streams: preset.groups.map((_, g) => g) };
  checkSweepStreams(preset);
  const cellCount = preset.groups.length * sweep.axes.reduce((n, a) => n * a.values.length, 1);
  if (cellCount > LIMITS.groups) {
    throw new SweepError(
      'sweep',
      `the sweep makes ${cellCount.toLocaleString('en-US')} cells (groups × axis values): at most ${LIMITS.groups.toLocaleString('en-US')}`,
    );
  }
  const modelCount = preset.groups.reduce((n, g) => n + g.models, 0) * (cellCount / preset.groups.length);
  if (modelCount > LIMITS.models) {
    throw new SweepError(
      'sweep',
      `the sweep trains ${modelCount.toLocaleString('en-US')} models (cells × models): at most ${LIMITS.models.toLocaleString('en-US')}`,
    );
  }
  const axes: SweepAxisInfo[] = sweep.axes.map((a) => ({
    field: a.field,
    title: fieldLabel(`groups[0].${a.field}`),
    values: [],
    labels: [],
  }));
  // every combination of value indices, the last axis fastest
  let combos: number[][] = [[]];
  for (const a of sweep.axes) combos = combos.flatMap((c) => a.values.map((_, v) => [...c, v]));
  const groups: Group[] = [];
  const cells: SweepCell[] = [];
  const streams: number[] = [];
  for (const base of preset.groups) {
    for (const at of combos) {
      let input: Record<string, unknown> = base;
      at.forEach((v, a) => (input = withField(input as Group, sweep.axes[a].field, sweep.axes[a].values[v])));
      const parsed = GroupSchema.safeParse(input);
      if (!parsed.success) throw blame(preset, sweep, base, at, parsed.error.issues[0], input);
      const group = parsed.data;
      at.forEach((v, a) => {
        if (axes[a].values.length === v) axes[a].values.push(fieldOf(group, sweep.axes[a].field));
      });
      const key = canonical({ group: base.name, values: Object.fromEntries(sweep.axes.map((a) => [a.field, fieldOf(group, a.field)])) });
      groups.push(group);
      cells.push({ group: '', base: base.name, at });
      streams.push(hash32(key));
    }
  }
  axes.forEach((a, k) => {
    const texts = a.values.map(canonical);
    const twice = texts.findIndex((t, v) => texts.indexOf(t) !== v);
    if (twice >= 0) {
      throw new SweepError(
        `sweep.axes[${k}].values[${twice}]`,
        `sweep axis ${a.field}: value ${excerpt(sweep.axes[k].values[twice])} appears twice`,
      );
    }
  });
  sweep.axes.forEach((a, k) => {
    const labels = a.labels ?? axes[k].values.map(valueLabel);
    axes[k].labels = labels.map((l, v) => (labels.indexOf(l) === v ? l : `${l} #${v + 1}`));
  });
  const tokens = axes.map((a) => {
    const t = a.labels.map(token);
    return t.map((x, v) => (t.indexOf(x) === v ? x : `${x}-${v + 1}`));
  });
  cells.forEach((cell, k) => {
    cell.group = [cell.base, ...cell.at.map((v, a) => tokens[a][v])].join('_');
    groups[k] = { ...groups[k], name: cell.group };
  });
  const tooLong = cells.find((c) => c.group.length > 100);
  if (tooLong)
    throw new SweepError(
      'sweep.axes',
      `the cell name ${excerpt(tooLong.group)} is longer than 100 characters: give the axes shorter labels`,
    );
  return {
    source: preset,
    preset: { ...plain, groups },
    sweep: { bases: preset.groups.map((g) => g.name), axes, cells, curvesPerCell: sweep.curvesPerCell },
    streams,
  };
}

/** The error for a cell that is not a valid group: the axis whose field the problem lies in (else the last), and its value. */
function blame(
  preset: Preset,
  sweep: NonNullable<Preset['sweep']>,
  base: Group,
  at: number[],
  issue: z.core.$ZodIssue,
  input: unknown,
): SweepError {
  const where = issue.path.map(String).join('.');
  const inField = (field: string) => where === field || where.startsWith(`${field}.`) || field.startsWith(`${where}.`);
  const sameObject = (field: string) => where.split('.')[0] === field.split('.')[0];
  let a = sweep.axes.findIndex((x) => inField(x.field));
  if (a < 0) a = sweep.axes.findIndex((x) => sameObject(x.field));
  if (a < 0) a = sweep.axes.length - 1;
  const axis = sweep.axes[a];
  const value = axis.values[at[a]];
  const inside = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], input);
  const group = preset.groups.length > 1 ? ` (group ${base.name})` : '';
  const detail = where === axis.field ? '' : `${where || 'the group'}: `;
  return new SweepError(
    `sweep.axes[${a}].values[${at[a]}]`,
    `sweep axis ${axis.field}, value ${excerpt(value)}${group}: ${detail}${problemOf(issue, inside)}`,
  );
}

/** Whether a run keeps a model's curves and weights: every model outside a sweep (curvesPerCell null), the first curvesPerCell of each cell in one. */
export function keepsDetail(curvesPerCell: number | null, index: number): boolean {
  return curvesPerCell === null || index < curvesPerCell;
}
