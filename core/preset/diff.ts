// What differs between two presets, setting by setting, where the form says it ("Group 2 (wide) ›
// Learning rate") and each preset's value in words: the runs table shows it for two runs ticked. A
// preset's name and description are not settings; groups pair up by name, wherever each list has them.
import { CHOICE_NAMES, describePath, fieldLabel, groupHeading } from './labels.ts';
import type { Group, Preset, SweepConfig } from './preset.ts';

/** One setting that differs: its path in the preset, where the form has it, and its value in each preset ("—": not there). */
export interface PresetDifference {
  path: string;
  where: string;
  a: string;
  b: string;
}

/** What names or describes a preset rather than sets a run up. */
const NOT_SETTINGS = new Set(['format', 'version', 'name', 'description']);
/** The value of a setting one preset does not have. */
const ABSENT = '—';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysOf = (x: unknown, y: unknown) => [...new Set([...Object.keys(isPlain(x) ? x : {}), ...Object.keys(isPlain(y) ? y : {})])];

function same(x: unknown, y: unknown): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, k) => same(v, y[k]));
  if (isPlain(x) && isPlain(y)) return keysOf(x, y).every((k) => same(x[k], y[k]));
  return Object.is(x, y);
}

/** The last part of a field's label: "Learning rate", not "Group 1 › Learning rate". */
const shortLabel = (path: string) => fieldLabel(path).split(' › ').pop()!;
/** A group field a sweep axis varies, as the form names it: "optimizer.lr" → "Learning rate". */
const axisField = (field: string) => shortLabel(`groups[0].${field}`);

type Axis = SweepConfig['axes'][number];
/** A sweep axis by the field it varies and its values: "Learning rate [0.1, 0.2]". */
const axisInWords = (axis: Axis, path: string) => `${axisField(axis.field)} ${inWords(axis.values, `${path}.values`)}`;

/** A value as the table says it: a choice by the editor's name for it, a kind with its fields, a list in brackets. */
function inWords(value: unknown, path: string): string {
  if (value === undefined) return ABSENT;
  // a sweep by its axes: "Hidden widths [[1], [4]] × Learning rate [0.1, 0.2]"
  if (path === 'sweep') return (value as SweepConfig).axes.map((axis, k) => axisInWords(axis, `sweep.axes[${k}]`)).join(' × ');
  if (/^sweep\.axes\[\d+\]$/.test(path)) return axisInWords(value as Axis, path);
  if (/^sweep\.axes\[\d+\]\.field$/.test(path)) return axisField(value as string);
  if (Array.isArray(value)) return `[${value.map((v, k) => inWords(v, `${path}[${k}]`)).join(', ')}]`;
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) >= 10_000 ? value.toLocaleString('en-US') : String(value);
  if (typeof value === 'string') {
    const field = path.replace(/^groups\[\d+\]\./, '');
    const names: Record<string, string> | undefined = field === 'rng' || field === 'init' ? CHOICE_NAMES[field] : undefined;
    return names?.[value] ?? value;
  }
  if (!isPlain(value)) return String(value);
  const { kind, ...rest } = value;
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${shortLabel(`${path}.${k}`)} ${inWords(v, `${path}.${k}`)}`)
    .join(', ');
  if (typeof kind !== 'string') return fields;
  return fields ? `${kind} (${fields})` : kind;
}

/** Where a setting is, in the form's words; a target's fields named under it ("Target › Threshold"). */
function whereIs(path: string, preset: Preset): string {
  const where = describePath(path, preset);
  return path.startsWith('target.') && path !== 'target.kind' ? `Target › ${where}` : where;
}

/** A group one preset has and the other lacks, in a few words. */
function groupInWords(g: Group): string {
  return `${g.models.toLocaleString('en-US')} model${g.models === 1 ? '' : 's'}, hidden widths [${g.hidden.join(', ')}]`;
}

/**
 * The settings two presets set differently, in the order the form lists them; none for presets that
 * differ only in their names and descriptions. A choice of another kind (sgd or adam) is one difference,
 * each value said with its fields.
 */
export function presetDifferences(a: Preset, b: Preset): PresetDifference[] {
  const found: PresetDifference[] = [];
  const add = (path: string, x: unknown, y: unknown, preset: Preset) =>
    found.push({ path, where: whereIs(path, preset), a: inWords(x, path), b: inWords(y, path) });

  /** `x` of preset a and `y` of preset b at `path` (as `preset` numbers it, for the words). */
  const compare = (path: string, x: unknown, y: unknown, preset: Preset): void => {
    if (same(x, y)) return;
    if (isPlain(x) && isPlain(y) && (x.kind === undefined || x.kind === y.kind)) {
      for (const k of keysOf(x, y)) compare(`${path}.${k}`, x[k], y[k], preset);
    } else if (Array.isArray(x) && Array.isArray(y) && [...x, ...y].every(isPlain)) {
      for (let k = 0; k < Math.max(x.length, y.length); k++) compare(`${path}[${k}]`, x[k], y[k], preset);
    } else add(path, x, y, preset);
  };

  for (const key of keysOf(a, b)) {
    if (NOT_SETTINGS.has(key)) continue;
    if (key === 'groups') compareGroups(a, b, compare, found);
    else compare(key, a[key as keyof Preset], b[key as keyof Preset], a);
  }
  return found;
}

/** Groups of the same name compared field by field; a group only one preset has, said whole. */
function compareGroups(
  a: Preset,
  b: Preset,
  compare: (path: string, x: unknown, y: unknown, preset: Preset) => void,
  found: PresetDifference[],
): void {
  const inB = new Map(b.groups.map((g, k) => [g.name, k]));
  a.groups.forEach((g, k) => {
    const other = inB.get(g.name);
    const path = `groups[${k}]`;
    if (other === undefined) {
      found.push({ path, where: groupHeading(k, g.name), a: groupInWords(g), b: ABSENT });
      return;
    }
    compare(path, g, b.groups[other], a); // of one name: what differs is their settings
  });
  const inA = new Set(a.groups.map((g) => g.name));
  b.groups.forEach((g, k) => {
    const path = `groups[${k}]`;
    if (!inA.has(g.name)) found.push({ path, where: groupHeading(k, g.name), a: ABSENT, b: groupInWords(g) });
  });
}
