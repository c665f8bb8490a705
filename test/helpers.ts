// Shared test helpers: the repository's paths, JSON files, .npy arrays, the version, quiet training hooks and a
// one-group preset in the seed's shape.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Preset, type PresetInput } from '../core/preset/preset.ts';
import { parsePreset } from '../core/preset/parse.ts';
import type { TrainHooks } from '../electron/engine/train.ts';
import packageJson from '../package.json' with { type: 'json' };

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const PRESETS = fileURLToPath(new URL('../resources/presets/', import.meta.url));
/** The `lab` executable as `npm ci` builds it (the processes and services tiers' global setup bundles it). */
export const LAB = join(ROOT, 'out/lab/lab.mjs');

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** One .npy array of an .npz, read on its own, not by the code under test (format 1.0, little-endian, C order): its numbers. */
export function npyNumbers(npz: Record<string, Uint8Array>, key: string): number[] {
  const bytes = npz[`${key}.npy`];
  const start = 10 + (bytes[8] | (bytes[9] << 8));
  const body = bytes.slice(start).buffer;
  return new TextDecoder().decode(bytes.subarray(10, start)).includes("'<i8'")
    ? Array.from(new BigInt64Array(body), Number)
    : Array.from(new Float32Array(body));
}

/** The version package.json declares: the .out log's first line names it. */
export const PACKAGE_VERSION: string = packageJson.version;

/** Training hooks that log, report and trace nothing, and never stop. */
export const quietHooks: TrainHooks = { log: () => {}, progress: () => {}, shouldStop: () => false, progressIntervalMs: Infinity };

/** A one-group preset in the seed's shape, with fields overridden. */
export function presetWith(group: Partial<PresetInput['groups'][number]> = {}, top: Partial<PresetInput> = {}): Preset {
  return parsePreset({
    format: 'minima-lab-preset',
    version: 1,
    name: 'test',
    seed: 2025,
    rng: 'per-model',
    target: { kind: 'step', threshold: 0.1, low: 0, high: 1 },
    validation: { points: 5001 },
    stop: { maxSteps: 200, lossLimit: 0.005 },
    groups: [
      {
        name: 'g',
        models: 2,
        hidden: [8],
        activation: { kind: 'leaky_relu', negativeSlope: 0.001 },
        outputActivation: true,
        data: { kind: 'fresh', batchSize: 100 },
        optimizer: { kind: 'sgd', lr: 0.1 },
        ...group,
      },
    ],
    ...top,
  });
}

/** The built-in width × schedule sweep with 3 seeds per cell capped at 60,000 steps: 36 models of a few hundred ms each. */
export function smallSweep(seed = 2025): Record<string, any> {
  const preset = readJson<Record<string, any>>(join(PRESETS, 'sweep-width-vs-schedule.json'));
  return { ...preset, seed, stop: { ...preset.stop, maxSteps: 60_000 }, groups: [{ ...preset.groups[0], models: 3 }] };
}

/** smallSweep as a preset file in `dir`. */
export function smallSweepFile(dir: string, seed = 2025): string {
  const file = join(dir, `sweep-${seed}.json`);
  writeFileSync(file, JSON.stringify(smallSweep(seed)));
  return file;
}

/** The seed's CyclicLR for its wide models. */
export const SEED_CYCLIC = {
  kind: 'cyclic',
  mode: 'triangular2',
  baseLr: 0.001,
  maxLr: 0.5,
  stepSizeUp: 100,
  stepSizeDown: 900,
  cycleMomentum: false,
} as const;

/** The seed's two groups, smaller: 3 narrow models on SGD and 4 wide ones on SGD with (unless `cyclic` is false) the seed's CyclicLR. */
export function narrowAndWide(rng: 'torch' | 'per-model', maxSteps: number, cyclic = true): Preset {
  const group = (name: string, models: number, hidden: number[]) => ({
    name,
    models,
    hidden,
    activation: { kind: 'leaky_relu', negativeSlope: 0.001 } as const,
    outputActivation: true,
    data: { kind: 'fresh', batchSize: 100 } as const,
    optimizer: { kind: 'sgd', lr: 0.1 } as const,
  });
  return presetWith(
    {},
    {
      rng,
      stop: { maxSteps, lossLimit: 0.005 },
      groups: [group('narrow', 3, [1]), { ...group('wide', 4, [8]), ...(cyclic ? { schedule: SEED_CYCLIC } : {}) }],
    },
  );
}
