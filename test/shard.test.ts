// Array-job shards as a cluster runs them: `lab run … --shard I/N` in separate processes, then `lab merge`
// — the merged files equal the unsharded run's, and every way the parts can fail to make a whole is named.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inShard } from '../electron/engine/shard.ts';
import { snapshotsIn } from '../electron/storage/snapshots-file.ts';
import { PRESETS, readJson } from './helpers.ts';
import { lab } from './lab.ts';

/** The built-in slope × width sweep, small: 15 cells of 3 seeds, 400 steps. */
function smallSweep(dir: string): string {
  const preset = readJson<Record<string, any>>(join(PRESETS, 'sweep-slope-vs-width.json'));
  const file = join(dir, 'sweep.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...preset,
      stop: { ...preset.stop, maxSteps: 400 },
      groups: [{ ...preset.groups[0], models: 3 }],
      log: { models: [0, 1] },
    }),
  );
  return file;
}

async function ok(args: string[]) {
  const r = await lab(args);
  if (r.status !== 0) throw new Error(`lab ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

/** A preset of two models (per-model streams, 2 steps): more shards than models leave some empty. */
function twoModels(dir: string, maxSteps = 2): string {
  const file = join(dir, `two-${maxSteps}.json`);
  const preset = readJson<Record<string, any>>(join(PRESETS, 'seed-narrow-vs-wide.json'));
  const groups = [{ ...preset.groups[0], models: 2 }];
  writeFileSync(file, JSON.stringify({ ...preset, rng: 'per-model', stop: { ...preset.stop, maxSteps }, groups, log: { models: [0] } }));
  return file;
}

describe('shards', () => {
  it('partitions model ids so each shard holds every count-th model, each cell spread evenly', () => {
    const shards = [1, 2, 3, 4].map((index) => Array.from({ length: 45 }, (_, id) => id).filter((id) => inShard(id, { index, count: 4 })));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, id) => id));
    expect(shards.map((s) => s.length)).toEqual([12, 11, 11, 11]);
    // a cell of 3 models (ids 3, 4, 5: 3, 0 and 1 modulo 4) lands in three different shards
    expect(shards.map((s) => s.filter((id) => id >= 3 && id < 6).length)).toEqual([1, 1, 0, 1]);
  });

  describe('lab run --shard I/N and lab merge', () => {
    let dir = '';
    let preset = '';
    const part = (i: number) => join(dir, `part-${i}.json`);
    const partNpz = (i: number) => join(dir, `part-${i}.npz`);
    // the whole run's result and snapshots in a folder of their own, as the merged ones: each names its file alike
    const whole = (name: string) => join(dir, 'whole', name);
    const merged = (name: string) => join(dir, 'merged', name);
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'minima-shards-'));
      preset = smallSweep(dir);
      await ok([
        'run',
        preset,
        '--json',
        whole('result.json'),
        '--snapshots',
        whole('snapshots.npz'),
        '--out',
        join(dir, 'whole.out'),
        '--table',
        join(dir, 'whole.csv'),
      ]);
      for (const i of [1, 2, 3, 4])
        await ok(['run', preset, '--shard', `${i}/4`, '--workers', '1', '--json', part(i), '--snapshots', partNpz(i)]);
    }, 120_000);

    it('four shards merged give exactly the unsharded result, .out log, table and snapshots', async () => {
      const { stderr } = await ok([
        'merge',
        part(3),
        part(1),
        part(4),
        part(2),
        '--json',
        merged('result.json'),
        '--snapshots',
        merged('snapshots.npz'),
        '--out',
        join(dir, 'all.out'),
        '--table',
        join(dir, 'all.csv'),
      ]);
      expect(stderr).toContain('merged 4 parts: 45 models');
      expect(readFileSync(merged('result.json'), 'utf8')).toBe(readFileSync(whole('result.json'), 'utf8'));
      expect(readJson<{ snapshotsFile: string }>(merged('result.json')).snapshotsFile).toBe('snapshots.npz');
      expect(readFileSync(merged('snapshots.npz')).equals(readFileSync(whole('snapshots.npz')))).toBe(true);
      // each part's file holds its own models' snapshots only
      expect(snapshotsIn(readFileSync(partNpz(1)), ['net_0_1#0', 'net_0_1#1']).size).toBe(1);
      expect(readFileSync(join(dir, 'all.out'), 'utf8')).toBe(readFileSync(join(dir, 'whole.out'), 'utf8'));
      expect(readFileSync(join(dir, 'all.csv'), 'utf8')).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
      // a part holds its own models only, and says which shard of which preset it is
      const first = readJson<{ models: { id: number }[]; shard: { index: number; count: number; presetHash: string; models: number[] } }>(
        part(1),
      );
      expect(first.models.map((m) => m.id)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44]);
      expect(first.shard).toMatchObject({ index: 1, count: 4, models: [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44] });
      expect(first.shard.presetHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('names what is wrong with the parts: a missing shard, a shard twice, another setting, a part drawn, a file that is no part', async () => {
      const merge = (...parts: string[]) => lab(['merge', ...parts, '--json', join(dir, 'bad.json')]);
      const missing = await merge(part(1), part(2), part(4));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toBe('lab: shard 3/4 is missing\n');
      const twice = await merge(part(1), part(2), part(3), part(4), part(2));
      expect(twice.stderr).toBe(`lab: ${part(2)} and ${part(2)} are both shard 2/4: give each shard once\n`);
      // another preset: another seed, named as the setting that differs
      const other = join(dir, 'other-1.json');
      await ok(['run', preset, '--seed', '7', '--shard', '1/4', '--workers', '1', '--json', other]);
      const mixed = await merge(other, part(2), part(3), part(4));
      expect(mixed.stderr).toBe(`lab: ${part(2)}: trained with seed 2025, ${other} with 7: parts of one run only\n`);
      // a part drawn before it is merged
      const drawn = await lab(['chart', part(1), '--chart', 'loss', '--out', join(dir, 'part.png')]);
      expect(drawn.stderr).toBe(
        `lab: ${part(1)}: one shard's part of a run: merge the parts first (lab merge PART.json... --json RESULT.json)\n`,
      );
      const notPart = await merge(whole('result.json'));
      expect(notPart.stderr).toBe(`lab: ${whole('result.json')}: not a shard's part (expected the --json of lab run … --shard I/N)\n`);
      expect((await lab(['merge', part(1)])).stderr).toContain('lab: --json: required');
    });

    it('merging snapshots refuses a part that names none, a missing file and another shard’s or run’s file, in one line', async () => {
      const merge = (second: string) =>
        lab(['merge', part(1), second, part(3), part(4), '--json', join(dir, 'bad.json'), '--snapshots', join(dir, 'bad.npz')]);
      /** Part 2's result, naming `snapshotsFile` (none where undefined). */
      const partTwoNaming = (snapshotsFile: string | undefined) => {
        const file = join(dir, `part-2-${snapshotsFile ?? 'none'}.json`);
        writeFileSync(file, JSON.stringify({ ...readJson<Record<string, unknown>>(part(2)), snapshotsFile }));
        return file;
      };
      const none = partTwoNaming(undefined);
      expect((await merge(none)).stderr).toBe(`lab: ${none}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)\n`);
      const gone = partTwoNaming('gone.npz');
      expect((await merge(gone)).stderr).toBe(`lab: ${join(dir, 'gone.npz')}: cannot read the file: no such file or folder (ENOENT)\n`);
      const another = partTwoNaming('part-3.npz');
      expect((await merge(another)).stderr).toBe(`lab: ${partNpz(3)}: not the snapshots of ${another} (shard 2/4): net_0_1#1 is missing\n`);
      // the same shard of a run from another seed: its models' names are there, their parameters another run's
      await ok(['run', preset, '--seed', '7', '--shard', '2/4', '--workers', '1', '--snapshots', join(dir, 'seed-7.npz')]);
      const otherRun = partTwoNaming('seed-7.npz');
      expect((await merge(otherRun)).stderr).toBe(
        `lab: ${join(dir, 'seed-7.npz')}: not the snapshots of ${otherRun} (shard 2/4): net_0_1#1 starts from other parameters\n`,
      );
      expect(existsSync(join(dir, 'bad.json'))).toBe(false);
    });

    it('says a heatmap field the sweep does not vary in one line, with lab chart’s usage alone', async () => {
      const r = await lab(['chart', whole('result.json'), '--chart', 'heatmap', '--x', 'optimizer.lr', '--out', join(dir, 'h.png')]);
      expect(r.status).toBe(2);
      const [said, usage, ...rest] = r.stderr.split('\n');
      expect(said).toBe("lab: --x: expected one of the sweep's fields activation.negativeSlope, hidden, got 'optimizer.lr'");
      expect(usage).toMatch(/^usage: lab chart </);
      expect(rest.join('\n')).not.toMatch(/lab (run|merge|worker|submit|animate|landscape) /);
    });

    it('refuses a shard of a torch-stream run and a shard number out of range', async () => {
      const torch = await lab(['run', preset, '--rng', 'torch', '--shard', '1/2']);
      expect(torch.status).toBe(2);
      expect(torch.stderr).toContain('a sweep needs per-model random streams');
      const seed = await lab(['run', join(PRESETS, 'seed-narrow-vs-wide.json'), '--shard', '1/2', '--max-steps', '2']);
      expect(seed.status).toBe(2);
      expect(seed.stderr).toBe(
        'lab: training part of a run (a shard, a queue job) needs per-model random streams (rng: per-model): in torch mode every model’s batches depend on every model before it\n',
      );
      expect((await lab(['run', preset, '--shard', '5/4'])).stderr).toContain(
        "lab: --shard: expected I/N with 1 <= I <= N <= 100,000 (e.g. 3/16), got '5/4'",
      );
    });
  });
});

describe('shards past the last model, and many shards', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'minima-empty-shards-'));
  });

  it('warns that a shard has no models, and refuses an empty part given twice as one with models is', async () => {
    const preset = twoModels(dir);
    const part = (i: number) => join(dir, `part-${i}.json`);
    for (const i of [1, 2]) expect((await ok(['run', preset, '--shard', `${i}/3`, '--json', part(i)])).stderr).toBe('');
    const empty = await ok(['run', preset, '--shard', '3/3', '--json', part(3)]);
    expect(empty.stderr).toBe('lab: shard 3/3 has no models: this run has 2, fewer than its 3 shards (its part is written all the same)\n');
    writeFileSync(join(dir, 'part-3-copy.json'), readFileSync(part(3)));
    const twice = await lab(['merge', part(1), part(2), part(3), join(dir, 'part-3-copy.json'), '--json', join(dir, 'all.json')]);
    expect(twice.stderr).toBe(`lab: ${part(3)} and ${join(dir, 'part-3-copy.json')} are both shard 3/3: give each shard once\n`);
    expect((await ok(['merge', part(1), part(2), part(3), '--json', join(dir, 'all.json')])).stderr).toContain('merged 3 parts: 2 models');
  });

  it('names missing shards as ranges, and parts from other settings by the setting', async () => {
    const preset = twoModels(dir);
    const first = join(dir, 'one-of-1000.json');
    await ok(['run', preset, '--shard', '1/1000', '--json', first]);
    expect((await lab(['merge', first, '--json', join(dir, 'all.json')])).stderr).toBe('lab: shards 2–1000 of 1000 are missing\n');
    const parts = [1, 2, 4, 6, 9].map((i) => join(dir, `of-10-${i}.json`));
    for (const [k, i] of [1, 2, 4, 6, 9].entries()) await ok(['run', preset, '--shard', `${i}/10`, '--json', parts[k]]);
    expect((await lab(['merge', ...parts, '--json', join(dir, 'all.json')])).stderr).toBe(
      'lab: shards 3, 5, 7–8 and 10 of 10 are missing\n',
    );
    // the same shard with another step cap
    const capped = join(dir, 'capped-2.json');
    await ok(['run', twoModels(dir, 3), '--shard', '2/10', '--json', capped]);
    expect((await lab(['merge', parts[0], capped, '--json', join(dir, 'all.json')])).stderr).toBe(
      `lab: ${capped}: trained with stop.maxSteps 3, ${parts[0]} with 2: parts of one run only\n`,
    );
  });
});
