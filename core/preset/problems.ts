// What a validation problem says to a person: one short sentence from a zod issue, values quoted as
// short excerpts (a 10 MB string or a BigInt never reaches a message), lists cut to their first few, and
// control characters shown as escapes (a name's ESC never reaches a terminal).
import type { z } from 'zod';

/** The characters a terminal or a spreadsheet acts on rather than shows: C0 (ESC, BEL, NUL, tab, line breaks…), DEL and C1. */
const CONTROL = /\p{Cc}/u;
const CONTROLS = new RegExp(CONTROL.source, 'gu');

/** What is wrong with a name a user gives (a preset's, a group's, a run's) that holds a control character; null where none does. */
export function controlProblem(name: string): string | null {
  return CONTROL.test(name) ? `${excerpt(name)} holds a control character: names reach terminals, logs and spreadsheets` : null;
}

/** Text as a terminal, a log or a spreadsheet may show it: each control character as its escape (ESC as \u001b). */
export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How many items a message lists before "and N more". */
const LISTED = 3;

/** Items as a message lists them: "a, b, c and 99,997 more" (the first few only, so a message stays one short line). */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length <= LISTED + 1) return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`; // never "and 1 more"
  return `${items.slice(0, LISTED).join(', ')} and ${(items.length - LISTED).toLocaleString('en-US')} more`;
}

/** A value as a message may quote it: JSON-like, at most `max` characters, control characters escaped. */
export function excerpt(value: unknown, max = 40): string {
  let text: string;
  if (typeof value === 'string') text = printable(JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value));
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value === null || typeof value !== 'object') text = String(value);
  else text = Array.isArray(value) ? `an array of ${value.length}` : 'an object';
  return typeof value !== 'string' && text.length > max ? `${text.slice(0, max)}…` : text;
}

const typeName = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'an object'
        : typeof v === 'string'
          ? 'text'
          : `a ${typeof v}`;
const number = (v: unknown) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : excerpt(v));

/** One zod issue as a short sentence: "must be greater than 0", "is missing", "unknown field “lrr”". */
export function problemOf(issue: z.core.$ZodIssue, input?: unknown): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set')
        return `needs at least ${number(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${number(issue.minimum)} characters`;
      return issue.inclusive ? `must be at least ${number(issue.minimum)}` : `must be greater than ${number(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return `has at most ${number(issue.maximum)} items`;
      if (issue.origin === 'string') return `has at most ${number(issue.maximum)} characters`;
      return issue.inclusive ? `must be at most ${number(issue.maximum)}` : `must be less than ${number(issue.maximum)}`;
    case 'invalid_type': {
      if (input === undefined) return 'is missing';
      if (typeof input === 'number' && !Number.isFinite(input)) return `must be finite (not ${input})`; // JSON's 1e999 reads as Infinity
      if (issue.expected === 'int') return 'must be a whole number';
      const expected = { number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object' }[
        issue.expected as string
      ];
      return `must be ${expected ?? issue.expected} (not ${typeName(input)})`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => excerpt(v)).join(', ')}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options ? `must be one of the kinds ${options.map((o) => excerpt(o)).join(', ')}` : 'is not any of the forms it may take';
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${listed(issue.keys.map((k) => excerpt(k)))}`;
    default:
      return issue.message; // our own refinements' sentences
  }
}

/** A field's path as people write it: "groups[1].lr". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** The value at a path inside data (for saying what was there). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * The issues worth saying: zod checks every whole number against the safe-integer range besides its own
 * limits, so 1e300 would be told "at most 9,007,199,254,740,991" where the field's own limit is a million.
 */
export function issuesToSay(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const range = (i: z.core.$ZodIssue) => i.code === 'too_big' || i.code === 'too_small';
  const samePath = (a: z.core.$ZodIssue, b: z.core.$ZodIssue) => fieldPath(a.path) === fieldPath(b.path);
  return issues.filter((i) => !(range(i) && i.origin === 'int' && issues.some((j) => j !== i && range(j) && samePath(i, j))));
}

/** `data`'s first problem, with its field: "groups[1].lr: must be greater than 0"; `whole` where it is the data itself. */
export function firstProblem(error: z.ZodError, data: unknown, whole: string): string {
  const [issue] = issuesToSay(error.issues);
  return `${fieldPath(issue.path) || whole}: ${problemOf(issue, valueAt(data, issue.path))}`;
}
