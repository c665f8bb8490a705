// What differs between two runs' presets, as the runs table lists it: each setting where the form has
// it and its value in each preset, groups paired by name, a choice of another kind in one line.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetDifferences } from '../core/preset/diff.ts';
import { parsePreset } from '../core/preset/parse.ts';
import { PRESETS, readJson } from './helpers.ts';

type Json = Record<string, any>;
const seedFile = () => readJson<Json>(join(PRESETS, 'seed-narrow-vs-wide.json'));
const seed = () => parsePreset(seedFile());
const variant = (change: (p: Json) => Json) => parsePreset(change(seedFile()));
const rows = (a: Json, b: Json) => presetDifferences(a as never, b as never).map(({ where, a: x, b: y }) => [where, x, y]);

describe('presetDifferences', () => {
  it('finds none between presets that differ only in name and description: the same preset', () => {
    expect(presetDifferences(seed(), seed())).toEqual([]);
    expect(
      presetDifferences(
        seed(),
        variant((p) => ({ ...p, name: 'Tuesday', description: 'for the lecture' })),
      ),
    ).toEqual([]);
    // defaults written out or left to the schema are the same setting
    const momentumWritten = variant((p) => ({
      ...p,
      groups: [{ ...p.groups[0], optimizer: { kind: 'sgd', lr: 0.1, momentum: 0 } }, p.groups[1]],
    }));
    expect(presetDifferences(seed(), momentumWritten)).toEqual([]);
  });

  it('names each setting as the form does, with its value in each preset, in the form’s order', () => {
    const b = variant((p) => ({
      ...p,
      seed: 7,
      rng: 'per-model',
      stop: { ...p.stop, maxSteps: 20000 },
      groups: [p.groups[0], { ...p.groups[1], optimizer: { ...p.groups[1].optimizer, lr: 0.05 }, hidden: [16] }],
    }));
    expect(presetDifferences(seed(), b)).toEqual([
      { path: 'seed', where: 'Seed', a: '2025', b: '7' },
      { path: 'rng', where: 'Random streams', a: 'torch (one stream, in order)', b: 'per-model (parallel)' },
      { path: 'stop.maxSteps', where: 'Max steps', a: '1,000,001', b: '20,000' },
      { path: 'groups[1].hidden', where: 'Group 2 (modelsB) › Hidden widths', a: '[8]', b: '[16]' },
      { path: 'groups[1].optimizer.lr', where: 'Group 2 (modelsB) › Learning rate', a: '0.1', b: '0.05' },
    ]);
  });

  it('pairs groups by name wherever they stand, and says whole a group only one preset has', () => {
    const b = variant((p) => ({
      ...p,
      groups: [{ ...p.groups[1], models: 20 }, p.groups[0], { ...p.groups[0], name: 'wider', hidden: [64, 64] }],
    }));
    expect(rows(seed(), b)).toEqual([
      ['Group 2 (modelsB) › Models', '10', '20'],
      ['Group 3 (wider)', '—', '10 models, hidden widths [64, 64]'],
    ]);
    expect(rows(b, seed())).toEqual([
      ['Group 1 (modelsB) › Models', '20', '10'],
      ['Group 3 (wider)', '10 models, hidden widths [64, 64]', '—'],
    ]);
  });

  it('says a choice of another kind in one line, each value with its fields', () => {
    const b = variant((p) => ({
      ...p,
      target: { kind: 'abs', center: 0.3 },
      groups: [{ ...p.groups[0], activation: { kind: 'relu' }, optimizer: { kind: 'adam', lr: 0.01 } }, p.groups[1]],
    }));
    expect(rows(seed(), b)).toEqual([
      ['Target', 'step (Threshold 0.1, Low 0, High 1)', 'abs (Center 0.3)'],
      ['Group 1 (models) › Activation', 'leaky_relu (Negative slope 0.001)', 'relu'],
      [
        'Group 1 (models) › Optimizer',
        'sgd (Learning rate 0.1, Momentum 0, Dampening 0, Nesterov false, Weight decay 0)',
        'adam (Learning rate 0.01, β1 0.9, β2 0.999, ε 1e-8, Weight decay 0)',
      ],
    ]);
    // of one kind, only the field that differs, under its target
    expect(
      rows(
        seed(),
        variant((p) => ({ ...p, target: { ...p.target, threshold: 0.2 } })),
      ),
    ).toEqual([['Target › Threshold', '0.1', '0.2']]);
  });

  it('says a sweep by its axes, and between two sweeps the axis that differs', () => {
    const widths = { field: 'hidden', values: [[1], [4]] };
    const swept = variant((p) => ({ ...p, rng: 'per-model', sweep: { axes: [widths] } }));
    const unswept = variant((p) => ({ ...p, rng: 'per-model' }));
    expect(rows(unswept, swept)).toEqual([['Sweep', '—', 'Hidden widths [[1], [4]]']]);
    const rates = variant((p) => ({ ...p, rng: 'per-model', sweep: { axes: [{ field: 'optimizer.lr', values: [0.1, 0.2] }] } }));
    expect(rows(swept, rates)).toEqual([
      ['Sweep axis 1 › Field', 'Hidden widths', 'Learning rate'],
      ['Sweep axis 1 › Values', '[[1], [4]]', '[0.1, 0.2]'],
    ]);
    const twoAxes = variant((p) => ({ ...p, rng: 'per-model', sweep: { axes: [widths, { field: 'optimizer.lr', values: [0.1, 0.2] }] } }));
    expect(rows(swept, twoAxes)).toEqual([['Sweep axis 2', '—', 'Learning rate [0.1, 0.2]']]);
  });
});
