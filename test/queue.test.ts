// The BullMQ worker pool as a user runs it: a real redis-server, two `lab worker` processes (one killed
// with SIGKILL in the middle of a job), `lab submit` — its result and .out equal the local run's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf, jobsOf, QUEUE_NAME } from '../electron/queue/jobs.ts';
import { loadPresetFile } from '../electron/storage/preset-file.ts';
import { lab, labArgs, PRESETS, readJson, ROOT } from './helpers.ts';
import { startRedis } from './redis.ts';

/** The built-in width × schedule sweep with 3 seeds per cell, 36 models of a few hundred ms each. */
function smallSweep(dir: string, seed = 2025): string {
  const preset = readJson<Record<string, any>>(join(PRESETS, 'sweep-width-vs-schedule.json'));
  const file = join(dir, `sweep-${seed}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...preset, seed, stop: { ...preset.stop, maxSteps: 60_000 }, groups: [{ ...preset.groups[0], models: 3 }] }),
  );
  return file;
}

/** A `lab` child process whose stderr is kept, with a way to wait for a line in it. */
function start(args: string[]) {
  const child = spawn(process.execPath, labArgs(args), { cwd: ROOT });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    exited,
    saw: (pattern: RegExp) =>
      pattern.test(stderr) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
  };
}

describe('a sweep on a BullMQ queue', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir = '';
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'minima-queue-'));
  }, 30_000);
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await redis?.stop();
  });

  it('two workers, one killed mid-job: the job trains again elsewhere and the collected result equals the local run', async () => {
    const preset = smallSweep(dir);
    const local = lab(['run', preset, '--json', join(dir, 'local.json'), '--out', join(dir, 'local.out')]);
    expect(local.status).toBe(0);

    const doomed = start(['worker', '--redis', redis.url]);
    const survivor = start(['worker', '--redis', redis.url]);
    workers.push(doomed.child, survivor.child);
    await Promise.all([doomed.saw(/waiting for jobs/), survivor.saw(/waiting for jobs/)]);
    const submitted = start([
      'submit',
      preset,
      '--redis',
      redis.url,
      '--job-size',
      '3',
      '--json',
      join(dir, 'queue.json'),
      '--out',
      join(dir, 'queue.out'),
    ]);
    await doomed.saw(/training job (\S+)/);
    const killedJob = /training job (\S+)/.exec(doomed.stderr())![1];
    doomed.child.kill('SIGKILL');
    expect(await submitted.exited).toBe(0);
    expect(submitted.stderr()).toContain('jobs done: 12 / 12');
    // the killed worker's job was picked up again by the other one
    expect(survivor.stderr()).toContain(`finished job ${killedJob}`);
    expect(readFileSync(join(dir, 'queue.json'), 'utf8')).toBe(readFileSync(join(dir, 'local.json'), 'utf8'));
    expect(readFileSync(join(dir, 'queue.out'), 'utf8')).toBe(readFileSync(join(dir, 'local.out'), 'utf8'));
    survivor.child.kill('SIGKILL');
  }, 180_000);

  it('submitting again (or --resume) adds no job twice and collects what is there; a bad preset queues nothing', async () => {
    const preset = smallSweep(dir, 7);
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(redis.url) });
    try {
      const planned = jobsOf(await loadPresetFile(preset), 3);
      expect(new Set(planned.map((j) => j.id)).size).toBe(12);
      const first = start(['submit', preset, '--redis', redis.url, '--job-size', '3']);
      await first.saw(/jobs done: 0 \/ 12/);
      first.child.kill('SIGKILL'); // the submitter goes away; its jobs stay queued for a worker to come
      await first.exited;
      const worker = start(['worker', '--redis', redis.url, '--concurrency', '2']);
      workers.push(worker.child);
      const again = start(['submit', preset, '--redis', redis.url, '--job-size', '3', '--resume', '--json', join(dir, 'again.json')]);
      expect(await again.exited).toBe(0);
      const ours = (await queue.getJobs(['completed'])).filter((j) => planned.some((p) => p.id === j.id));
      expect(ours).toHaveLength(12);
      expect(readJson<{ models: unknown[] }>(join(dir, 'again.json')).models).toHaveLength(36);

      const counts = await queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...readJson<Record<string, any>>(preset), seed: -1 }));
      const refused = lab(['submit', bad, '--redis', redis.url]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/^lab: .*bad\.json: seed: /);
      expect(await queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed')).toEqual(counts);
    } finally {
      await queue.close();
    }
  }, 180_000);

  it('says plainly when Redis is not there', () => {
    const r = lab(['submit', join(PRESETS, 'sweep-width-vs-schedule.json'), '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('lab: cannot reach Redis at redis://127.0.0.1:1 (waited 10 s): is redis-server running?\n');
  }, 30_000);
});
