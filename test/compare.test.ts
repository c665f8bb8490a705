// Charts of many groups, as drawn for a file: a 12-cell sweep stopped at 3,000 steps compared with a
// two-group run of 5,000 (14 groups). Each legend lies beside its plot with every group in it, at every
// export size; the bands chart draws medians and the picked group's band; the time-to-reach chart draws
// nothing of the sweep past its own cap; the finals chart's column names never overlap; a sweep's 12 cells
// on two schedules draw two learning-rate lines.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { combine } from '../core/charts/combine.ts';
import { capOf, type ChartData, type ChartModel } from '../core/charts/data.ts';
import type { ChartKind } from '../core/charts/kinds.ts';
import { overlap, overlappingTicks, type Box, type ChartLayout } from '../core/charts/measure.ts';
import { Chart } from '../core/charts/register.ts';
import type { ChartOptions } from '../core/charts/request.ts';
import { exportConfig } from '../core/charts/spec.ts';
import { parsePreset } from '../core/preset/parse.ts';
import type { Preset } from '../core/preset/preset.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { emptyCurves } from '../core/results/curves.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { drawChart } from '../electron/exports/charts.ts';
import { narrowAndWide, PRESETS, readJson } from './helpers.ts';

const light: ChartOptions = { theme: 'light', legend: true };

/**
 * Three models a group, each of its curves stored at a few steps: model 0 reaches the limit (0.01) at step
 * 200 + 100 · group, the others end on the line plateau at the cap.
 */
function modelsOf(preset: Preset): ChartModel[] {
  const cap = preset.stop.maxSteps;
  return preset.groups.flatMap((g, groupIndex) =>
    [0, 1, 2].map((index) => {
      const last = index === 0 ? 200 + 100 * groupIndex : cap - 1;
      const end = index === 0 ? 0.0099 : 0.0658 + 0.001 * index;
      const step = [0, 10, 100, last];
      const lossVal = [0.9 - 0.01 * groupIndex, 0.3, 0.1, end];
      return {
        id: groupIndex * 3 + index,
        group: g.name,
        groupIndex,
        index,
        curves: { ...emptyCurves(), step, lossVal, lossTrain: lossVal },
        params: [],
        lossFinal: end,
        lossBest: end,
        status: index === 0 ? 'reached' : 'capped',
        steps: last,
        outcome: index === 0 ? ('reached' as const) : ('line' as const),
      };
    }),
  );
}

function dataOf(preset: Preset, sweep: ChartData['sweep'] = null): ChartData {
  return { preset, plateaus: experimentOf(preset).plateaus, models: modelsOf(preset), sweep };
}

/** The built-in width × schedule sweep, 3 models a cell, stopped at 3,000 steps, loss limit 0.01. */
function sweep(): ChartData {
  const p = readJson<Record<string, any>>(`${PRESETS}sweep-width-vs-schedule.json`);
  const swept = expandSweep(parsePreset({ ...p, groups: [{ ...p.groups[0], models: 3 }], stop: { maxSteps: 3000, lossLimit: 0.01 } }));
  return dataOf(swept.preset, swept.sweep);
}

const run = (): ChartData => {
  const preset = narrowAndWide('per-model', 5000);
  return dataOf({ ...preset, stop: { ...preset.stop, lossLimit: 0.01 } });
};
const compared = () =>
  combine([
    { data: sweep(), prefix: '1. Sweep, short' },
    { data: run(), prefix: '2. Seed, short' },
  ]);
const CELLS = ['1', '2', '3', '4', '8', '16'].flatMap((w) => [`1→${w}→1 · SGD 0.1`, `1→${w}→1 · CyclicLR`]);
const inside = (a: Box, b: Box) =>
  a.left >= b.left - 0.5 &&
  a.top >= b.top - 0.5 &&
  a.left + a.width <= b.left + b.width + 0.5 &&
  a.top + a.height <= b.top + b.height + 0.5;

async function layoutAt(data: ChartData, kind: ChartKind, width: number, height: number, options = light): Promise<ChartLayout> {
  return (await drawChart(data, { kind, format: 'png', width, height, pixelRatio: 1, options })).layout;
}

describe('a crowded chart for a file', () => {
  const SIZES = [
    [640, 360],
    [960, 540],
    [1280, 720],
    [1920, 1080],
    [3840, 2160],
  ];

  it('puts its legend beside the plot, every group and run in it, every entry whole, the plot most of the height', async () => {
    const data = compared();
    for (const [width, height] of SIZES)
      for (const kind of ['bands', 'reach', 'finals'] as const) {
        const at = `${kind} ${width}×${height}`;
        const layout = await layoutAt(data, kind, width, height);
        const area = layout.legendArea!;
        expect(area, at).not.toBeNull();
        expect(overlap(area, layout.plotArea), at).toBe(false);
        expect(area.left, at).toBeGreaterThanOrEqual(layout.plotArea.left + layout.plotArea.width);
        // one entry per group, and each run's name over its groups, each drawn whole inside the legend and the picture
        const texts = layout.legend;
        expect(
          texts.filter((t) => t.startsWith('1. Sweep') || t.startsWith('2. Seed')),
          at,
        ).toEqual(['1. Sweep, short', '2. Seed, short']);
        for (const cell of CELLS)
          expect(
            texts.some((t) => t.replace(/^[A-N]: /, '').startsWith(cell)),
            `${at}: ${cell}`,
          ).toBe(true);
        expect(layout.legendEntries, at).toHaveLength(texts.length);
        for (const entry of layout.legendEntries) {
          expect(inside(entry, area), at).toBe(true);
          expect(inside(entry, { left: 0, top: 0, width, height }), at).toBe(true);
        }
        expect(layout.plotArea.height, at).toBeGreaterThan(0.55 * height);
        expect(overlappingTicks(layout), at).toEqual([]);
      }
  });

  it('draws the medians, and bands for the groups picked only', async () => {
    const data = compared();
    const bands = (layout: ChartLayout) => layout.series.filter((s) => s.includes('10–90 %'));
    const plain = await layoutAt(data, 'bands', 960, 540);
    expect(plain.series).toHaveLength(14); // a median each, no model's own curve
    expect(bands(plain)).toEqual([]);
    const picked = await layoutAt(data, 'bands', 960, 540, { ...light, selectedGroups: ['2. Seed, short · wide'] });
    expect(bands(picked)).toEqual(['2. Seed, short · wide 10–90 % high', '2. Seed, short · wide 10–90 % low']);
    expect(picked.legend).toContain('wide · 1→8→1 · CyclicLR (median, 10–90 % band)');
    // few groups keep every band and a legend over the plot
    const two = await layoutAt(run(), 'bands', 960, 540);
    expect(bands(two)).toHaveLength(4);
    expect(two.legendArea!.top + two.legendArea!.height).toBeLessThanOrEqual(two.plotArea.top);
  });
});

describe('runs compared with their own step caps', () => {
  it('keep each its cap, through a second choice of their groups', () => {
    const data = compared();
    expect(data.preset.stop.maxSteps).toBe(5000);
    expect([capOf(data, 0), capOf(data, 11), capOf(data, 12), capOf(data, 13)]).toEqual([3000, 3000, 5000, 5000]);
    const some = combine([{ data, groups: ['1. Sweep, short · 1→16→1 · CyclicLR', '2. Seed, short · wide'] }]);
    expect(some.origins).toEqual([
      { run: '1. Sweep, short', maxSteps: 3000 },
      { run: '2. Seed, short', maxSteps: 5000 },
    ]);
    expect(combine([{ data, groups: ['1. Sweep, short · 1→2→1 · SGD 0.1'] }]).preset.stop.maxSteps).toBe(3000);
  });

  it('draw nothing of a run past its cap in the time-to-reach chart, and say each cap', () => {
    // the run's models all stop short of the limit: its groups draw nothing, so right of the sweep's cap
    // the plot must be as empty as a chart with nothing drawn: white, its grey grid and guide line
    const stopped = run();
    stopped.models = stopped.models.map((m) => ({ ...m, status: 'capped', steps: 4999, outcome: 'line' as const }));
    const data = combine([
      { data: sweep(), prefix: '1. Sweep, short' },
      { data: stopped, prefix: '2. Seed, short' },
    ]);
    const [width, height] = [960, 540];
    const canvas = createCanvas(width, height);
    const config = exportConfig(data, { kind: 'reach', format: 'png', width, height, pixelRatio: 1, options: light });
    const chart = new Chart(canvas as never, config as never);
    const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const [area, capAt] = [chart.chartArea, chart.scales.x.getPixelForValue(3000)];
    expect(chart.options.plugins!.subtitle!.text).toEqual([
      '2 of the 14 groups: no model reached the limit',
      'each run to its own step cap: 3,000 steps (run 1), 5,000 steps (run 2)',
    ]);
    chart.destroy();
    const coloured = (from: number, to: number) => {
      let n = 0;
      for (let y = Math.ceil(area.top); y < area.bottom; y++)
        for (let x = Math.ceil(from); x < to; x++) {
          const [r, g, b] = pixels.slice(4 * (y * width + x), 4 * (y * width + x) + 3);
          if (Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
        }
      return n;
    };
    expect(coloured(capAt + 4, area.right)).toBe(0);
    expect(coloured(area.left, capAt - 4)).toBeGreaterThan(1000); // the sweep's curves are there, up to its cap
  });
});

describe("the finals chart's column names", () => {
  it('are names under a few columns, letters keyed in a legend under many, and never overlap', async () => {
    const cells = sweep();
    const named = await layoutAt(cells, 'finals', 1280, 720);
    expect(named.ticks.x.map((t) => t.text)).toEqual(CELLS.map((c) => c.replace(' · ', ' ')));
    expect(named.legendArea).toBeNull();
    for (const [width, height] of [
      [640, 360],
      [800, 450],
      [960, 540],
      [1280, 720],
      [1920, 1080],
    ]) {
      for (const data of [cells, compared(), run()]) {
        const layout = await layoutAt(data, 'finals', width, height);
        const at = `${data.preset.groups.length} groups at ${width}×${height}`;
        expect(overlappingTicks(layout), at).toEqual([]);
        const letters = layout.ticks.x.every((t) => /^[A-Z]*$/.test(t.text));
        expect(layout.legendArea !== null, at).toBe(letters);
      }
    }
    const small = await layoutAt(compared(), 'finals', 640, 360);
    expect(small.ticks.x.map((t) => t.text).join('')).toBe('ABCDEFGHIJKLMN');
    expect(small.legend).toContain('N: wide · 1→8→1 · CyclicLR');
  });
});

describe('the learning-rate chart of a sweep', () => {
  it('draws one line per schedule, named with every cell on it', async () => {
    const layout = await layoutAt(sweep(), 'lr', 960, 540);
    expect(layout.series).toHaveLength(2);
    expect(layout.legend).toEqual(['SGD 0.1: 1→1→1, 1→2→1, 1→3→1 and 3 more', 'CyclicLR: 1→1→1, 1→2→1, 1→3→1 and 3 more']);
  });
});
