// A run's memory: the estimate is an upper bound on what its results hold in the process that runs it
// (measured in a process of its own, garbage collected before and after), and a run whose results would not
// fit that process's JavaScript heap is refused before it trains, in one line with both numbers: the
// issue's 100 groups × 1,000 models of 1,000 units once ran for minutes and died with V8's "heap limit".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAB, PRESETS, readJson, ROOT } from './helpers.ts';

/** What a run of `models` × [width] for `steps` steps holds once it has ended, and its estimate, in bytes. */
function measured(models: number, width: number, steps: number): { held: number; estimate: number; models: number; snapshots: number } {
  const probe = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/memory-probe.ts', String(models), String(width), String(steps)],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(probe.status, probe.stderr).toBe(0);
  return JSON.parse(probe.stdout);
}

/** The seed's wide group as `groups` groups of `models` models of `width` units. */
function crowdOf(groups: number, models: number, width: number): string {
  const seed = readJson<{ groups: Record<string, unknown>[] }>(join(PRESETS, 'seed-narrow-vs-wide.json'));
  const preset = {
    ...seed,
    groups: Array.from({ length: groups }, (_, k) => ({ ...seed.groups[1], name: `g${k}`, models, hidden: [width] })),
  };
  const file = join(mkdtempSync(join(tmpdir(), 'minima-memory-')), 'crowd.json');
  writeFileSync(file, JSON.stringify(preset));
  return file;
}

describe('a run’s memory', () => {
  it.each([
    ['1,000 seed-sized models keeping snapshots, 2,000 steps', 1000, 8, 2000, 1000],
    ['200 models of 300 units (no snapshots), 100 steps', 200, 300, 100, 0],
  ])(
    '%s: the estimate bounds what the results hold, within half again',
    (_, models, width, steps, snapshots) => {
      const run = measured(models, width, steps);
      expect(run).toMatchObject({ models, snapshots });
      expect(run.held).toBeGreaterThan(0);
      expect(run.estimate).toBeGreaterThanOrEqual(run.held);
      expect(run.estimate).toBeLessThanOrEqual(1.5 * run.held);
    },
    120_000,
  );

  it('refuses, before training, a run whose results the heap cannot hold: one line, both numbers, nothing written', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'minima-memory-')), 'huge.json');
    const started = Date.now();
    const refused = spawnSync(process.execPath, [LAB, 'run', crowdOf(100, 1000, 1000), '--json', out], { cwd: ROOT, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /this run's results would need about [\d.]+ GB of memory in one process, more than the [\d.]+ GB it can hold them in \(half of what is free of its [\d.]+ GB JavaScript heap/,
    );
    expect(refused.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(Date.now() - started).toBeLessThan(30_000); // refused, not trained for minutes (a bound, not a timing)
  }, 60_000);

  it('follows the heap this process is given: a run refused under 200 MB trains under the default', () => {
    const preset = crowdOf(1, 1000, 1000); // about 170 MB of results at the seed's step cap
    const small = spawnSync(process.execPath, ['--max-old-space-size=200', LAB, 'run', preset, '--max-steps', '3'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(small.status).not.toBe(0);
    expect(small.stderr).toMatch(/JavaScript heap/);
    const ample = spawnSync(process.execPath, [LAB, 'run', preset, '--max-steps', '3'], { cwd: ROOT, encoding: 'utf8' });
    expect(ample.stderr).toBe('');
    expect(ample.status).toBe(0);
  }, 120_000);
});
