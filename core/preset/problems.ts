// What a validation problem says to a person: one short sentence from a zod issue, and values quoted as
// short excerpts (a 10 MB string or a BigInt never reaches a message).
import type { z } from 'zod';

/** A value as a message may quote it: JSON-like, at most `max` characters. */
export function excerpt(value: unknown, max = 40): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
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
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => excerpt(k)).join(', ')}`;
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

/** `data`'s first problem, with its field: "groups[1].lr: must be greater than 0"; `whole` where it is the data itself. */
export function firstProblem(error: z.ZodError, data: unknown, whole: string): string {
  const issue = error.issues[0];
  return `${fieldPath(issue.path) || whole}: ${problemOf(issue, valueAt(data, issue.path))}`;
}
