// The IPC contract's bounds: every string, list and record a renderer can send has a largest size, so no
// argument can hold the main process while it is checked (3 million keys in exportChart's seriesNames held
// it 6 s and 1.2 GB), and a record too big is refused before its entries are checked.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ARGS } from '../core/ipc/contract.ts';
import { PresetSchema } from '../core/preset/preset.ts';

/** The paths of every string, array and record in `schema` that has no largest size. */
function unbounded(schema: z.core.$ZodType, path: string): string[] {
  const def = schema._zod.def as Record<string, any> & { type: string };
  const checks = (def.checks ?? []) as z.core.$ZodCheck[];
  const limited = checks.some((c) => (c._zod.def as { check: string }).check === 'max_length');
  switch (def.type) {
    case 'string':
      return limited ? [] : [path];
    case 'array':
      return [...(limited ? [] : [path]), ...unbounded(def.element, `${path}[]`)];
    case 'record':
      return [path, ...unbounded(def.keyType, `${path} key`), ...unbounded(def.valueType, `${path}{}`)];
    case 'pipe': {
      // a bounded record: its entries counted first (core/ipc/bounded.ts), then each checked
      const counted = z.globalRegistry.get(schema as z.ZodType)?.maxEntries !== undefined;
      const record = def.out._zod.def;
      if (counted && record.type === 'record')
        return [...unbounded(record.keyType, `${path} key`), ...unbounded(record.valueType, `${path}{}`)];
      return [...unbounded(def.in, path), ...unbounded(def.out, path)];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, z.core.$ZodType>).flatMap(([key, field]) => unbounded(field, `${path}.${key}`));
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap((option, k) => unbounded(option, `${path}|${k}`));
    case 'intersection':
      return [...unbounded(def.left, path), ...unbounded(def.right, path)];
    case 'tuple':
      return (def.items as z.core.$ZodType[]).flatMap((item, k) => unbounded(item, `${path}[${k}]`));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return unbounded(def.innerType, path);
    default:
      return []; // numbers, enums, literals, booleans, the file's bytes (a custom check with its own size)
  }
}

describe('the IPC contract', () => {
  it('bounds every string, list and record of every method’s argument', () => {
    const found = Object.entries(ARGS).flatMap(([method, schema]) => unbounded(schema, method));
    expect(found).toEqual([]);
  });

  it('bounds every string, list and record of a preset, which savePreset, exportPreset and startRun carry as it comes', () => {
    expect(unbounded(PresetSchema, 'preset')).toEqual([]);
  });

  it('finds what it is for: a string, a list and a record without a largest size', () => {
    const loose = z.strictObject({
      name: z.string(),
      list: z.array(z.int()).max(3),
      names: z.record(z.string().max(9), z.string().max(9)),
    });
    expect(unbounded(loose, 'loose')).toEqual(['loose.name', 'loose.names']);
  });

  it('refuses a record of too many entries with one short error, before its entries are checked', () => {
    const names = Object.fromEntries(Array.from({ length: 300_000 }, (_, k) => [`g${k}`, 'x']));
    const request = {
      id: 'some-run',
      kind: 'loss',
      format: 'png',
      width: 640,
      height: 480,
      pixelRatio: 1,
      theme: 'light',
      legend: true,
      to: 'file',
    };
    const answer = ARGS.exportChart.safeParse({ ...request, seriesNames: names });
    expect(answer.success).toBe(false);
    expect(answer.error?.issues).toEqual([expect.objectContaining({ path: ['seriesNames'], message: 'has at most 1000 entries' })]);
    expect(ARGS.exportChart.safeParse({ ...request, seriesNames: { g0: 'Narrow' } }).success).toBe(true);
  });
});
