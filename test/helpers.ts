// Shared test helpers: the repository's paths and fixture loading.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePreset, type Preset, type PresetInput } from '../electron/engine/preset.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHARED_FIXTURES = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));
export const LOCAL_FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const PRESETS = fileURLToPath(new URL('../resources/presets/', import.meta.url));

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** A one-group preset in the seed's shape, with fields overridden. */
export function presetWith(group: Partial<PresetInput['groups'][number]> = {}, top: Partial<PresetInput> = {}): Preset {
  return parsePreset({
    format: 'minima-lab-preset', version: 1, name: 'test', seed: 2025, rng: 'per-model',
    target: { kind: 'step', threshold: 0.1, low: 0, high: 1 },
    validation: { points: 5001 },
    stop: { maxSteps: 200, lossLimit: 0.005 },
    groups: [{
      name: 'g', models: 2, hidden: [8], activation: { kind: 'leaky_relu', negativeSlope: 0.001 }, outputActivation: true,
      data: { kind: 'fresh', batchSize: 100 }, optimizer: { kind: 'sgd', lr: 0.1 }, ...group,
    }],
    ...top,
  });
}
