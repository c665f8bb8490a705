// The BullMQ worker pool as a user runs it: a real redis-server, two `lab worker` processes (one killed
// with SIGKILL in the middle of a job), `lab submit` — its result and .out equal the local run's.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAndExpand, parsePreset } from '../core/preset/parse.ts';
import type { RunRecord } from '../core/results/records.ts';
import type { RunResult } from '../core/results/events.ts';
import { modelName } from '../core/results/snapshots.ts';
import { snapshotsIn } from '../electron/storage/snapshots-file.ts';
import { connectionOf } from '../electron/queue/connection.ts';
import { jobsOf, QUEUE_NAME, type JobData, type JobResult } from '../electron/queue/jobs.ts';
import { planQueueRun } from '../electron/engine/plan.ts';
import { loadAndExpand } from '../electron/storage/preset-file.ts';
import { PRESETS, readJson, smallSweep, smallSweepFile } from './helpers.ts';
import { lab, startLab } from './lab.ts';
import { startRedis } from './redis.ts';
import { handlerTable } from './fakes.ts';

describe('a sweep on a BullMQ queue', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir = '';
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'minima-queue-'));
  }, 30_000);
  /** `lab submit` of a small sweep to this Redis, in jobs of 3 models (12 jobs). */
  const submitArgs = (preset: string, ...more: string[]) => ['submit', preset, '--redis', redis.url, '--job-size', '3', ...more];
  // no test's workers take another test's jobs
  afterEach(() => {
    for (const w of workers.splice(0)) w.kill('SIGKILL');
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two workers, one killed mid-job: the job trains again elsewhere and the collected result and snapshots equal the local run', async () => {
    const preset = smallSweepFile(dir);
    // each run's result and snapshots in a folder of its own: the result names its snapshots file as the other's does
    const [localJson, localNpz] = [join(dir, 'local', 'result.json'), join(dir, 'local', 'snapshots.npz')];
    const [queueJson, queueNpz] = [join(dir, 'queue', 'result.json'), join(dir, 'queue', 'snapshots.npz')];
    const local = await lab(['run', preset, '--json', localJson, '--snapshots', localNpz, '--out', join(dir, 'local.out')]);
    expect(local.status).toBe(0);

    const doomed = startLab(['worker', '--redis', redis.url]);
    const survivor = startLab(['worker', '--redis', redis.url]);
    workers.push(doomed.child, survivor.child);
    await Promise.all([doomed.saw(/waiting for jobs/), survivor.saw(/waiting for jobs/)]);
    const submitted = startLab(submitArgs(preset, '--json', queueJson, '--snapshots', queueNpz, '--out', join(dir, 'queue.out')));
    await doomed.saw(/training job (\S+)/);
    const killedJob = /training job (\S+)/.exec(doomed.stderr())![1];
    doomed.child.kill('SIGKILL');
    expect(await submitted.exited).toBe(0);
    expect(submitted.stderr()).toContain('jobs done: 12 / 12');
    // the killed worker's job was picked up again by the other one
    expect(survivor.stderr()).toContain(`finished job ${killedJob}`);
    expect(readFileSync(queueJson, 'utf8')).toBe(readFileSync(localJson, 'utf8'));
    expect(readFileSync(join(dir, 'queue.out'), 'utf8')).toBe(readFileSync(join(dir, 'local.out'), 'utf8'));
    // every kept model's snapshots came back from its job bit for bit (a sweep keeps them for its curvesPerCell models)
    const first = modelName(readJson<RunResult>(localJson).models[0]);
    expect(snapshotsIn(readFileSync(localNpz), [first]).get(first)!.step.slice(0, 3)).toEqual([0, 1, 2]);
    expect(readFileSync(queueNpz).equals(readFileSync(localNpz))).toBe(true);
  }, 180_000);

  it('submitting again (or --resume) adds no job twice and collects what is there; a bad preset queues nothing', async () => {
    const preset = smallSweepFile(dir, 7);
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(redis.url) });
    try {
      const planned = jobsOf(planQueueRun(await loadAndExpand(preset)), 3);
      expect(new Set(planned.map((j) => j.id)).size).toBe(12);
      const first = startLab(submitArgs(preset));
      await first.saw(/jobs done: 0 \/ 12/);
      first.child.kill('SIGKILL'); // the submitter goes away; its jobs stay queued for a worker to come
      await first.exited;
      const worker = startLab(['worker', '--redis', redis.url, '--concurrency', '2']);
      workers.push(worker.child);
      const again = startLab(submitArgs(preset, '--resume', '--json', join(dir, 'again.json')));
      expect(await again.exited).toBe(0);
      const ours = (await queue.getJobs(['completed'])).filter((j) => planned.some((p) => p.id === j.id));
      expect(ours).toHaveLength(12);
      expect(readJson<{ models: unknown[] }>(join(dir, 'again.json')).models).toHaveLength(36);

      const counts = await queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed');
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...readJson<Record<string, any>>(preset), seed: -1 }));
      const refused = await lab(['submit', bad, '--redis', redis.url]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/^lab: .*bad\.json: seed: /);
      expect(await queue.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed')).toEqual(counts);
    } finally {
      await queue.close();
    }
  }, 180_000);

  it('a bad job fails at its first attempt and is named; --resume trains that job only, and the result equals the local run', async () => {
    const preset = smallSweepFile(dir, 11);
    const local = await lab(['run', preset, '--json', join(dir, 'local-11.json')]);
    expect(local.status).toBe(0);
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(redis.url) });
    try {
      const planned = jobsOf(planQueueRun(await loadAndExpand(preset)), 3);
      const poisoned = planned[4];
      const first = startLab(submitArgs(preset));
      await first.saw(/jobs done: 0 \/ 12/);
      // before any worker takes it, one job's preset is broken where only a worker reads it
      const job = (await Job.fromId(queue, poisoned.id))!;
      await job.updateData({ ...poisoned.data, preset: { ...poisoned.data.preset, seed: -1 } });
      const worker = startLab(['worker', '--redis', redis.url]);
      workers.push(worker.child);
      expect(await first.exited).toBe(2);
      expect(first.stderr()).toContain(
        `lab: 1 of 12 jobs failed — job ${poisoned.id}, models 12–14 (net_3_SGD-0.1 #0 to net_3_SGD-0.1 #2), after 1 attempt: job ${poisoned.id}: seed: must be at least 0; lab ${submitArgs(preset).join(' ')} --resume trains only what is missing`,
      );
      expect((await Job.fromId(queue, poisoned.id))!.attemptsMade).toBe(1); // no worker could train it: not retried
      const finishedBefore = await Promise.all(planned.map(async (p) => (await Job.fromId(queue, p.id))!.finishedOn));

      await job.updateData(poisoned.data); // the cause is fixed
      const resumed = startLab(submitArgs(preset, '--resume', '--json', join(dir, 'resumed.json')));
      expect(await resumed.exited).toBe(0);
      const finishedAfter = await Promise.all(planned.map(async (p) => (await Job.fromId(queue, p.id))!.finishedOn));
      // only the failed job trained again
      finishedBefore.forEach((before, k) => (k === 4 ? expect(finishedAfter[k]).not.toBe(before) : expect(finishedAfter[k]).toBe(before)));
      expect(readFileSync(join(dir, 'resumed.json'), 'utf8')).toBe(readFileSync(join(dir, 'local-11.json'), 'utf8'));
    } finally {
      await queue.close();
    }
  }, 180_000);

  it('the app sends a sweep to the queue in its settings and stores it like a local run; Stop takes its waiting jobs off', async () => {
    const app = handlerTable();
    expect(await app.table.dispatch('startRun', { preset: smallSweep(5), backend: 'auto', workers: 1, where: 'queue' })).toEqual({
      ok: false,
      error: 'no Redis queue set: give its URL first (Run on: Redis queue)',
    });
    expect(await app.table.dispatch('updateSettings', { redisUrl: 'localhost:6379' })).toEqual({
      ok: false,
      error: 'updateSettings: redisUrl: expected a redis:// URL with a host, e.g. redis://localhost:6379',
    });
    await app.call('updateSettings', { redisUrl: redis.url });
    expect(readJson(join(app.dataDir, 'settings.json'))).toEqual({ lastPresetId: null, redisUrl: redis.url, zoom: 1, appTheme: 'system' });

    // no worker yet: the jobs wait, and Stop takes them off the queue
    const waiting = await app.call<RunRecord>('startRun', { preset: smallSweep(6), backend: 'auto', workers: 1, where: 'queue' });
    expect(waiting.queue).toBe(redis.url);
    await app.messages.next((m) => m.kind === 'event' && m.runId === waiting.id && m.event.type === 'started');
    await app.call('stopRun', { runId: waiting.id });
    expect((await app.stored(waiting.id)).status).toBe('stopped');
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(redis.url) });
    try {
      const ids = jobsOf(planQueueRun(parseAndExpand(smallSweep(6), 'sweep'))).map((j) => j.id);
      expect(await Promise.all(ids.map((id) => queue.getJob(id)))).toEqual(ids.map(() => undefined));
    } finally {
      await queue.close();
    }

    const file = smallSweepFile(dir, 5);
    const localRun = [
      'run',
      file,
      '--json',
      join(dir, 'local-5.json'),
      '--out',
      join(dir, 'local-5.out'),
      '--snapshots',
      join(dir, 'local-5.npz'),
    ];
    expect((await lab(localRun)).status).toBe(0);
    const worker = startLab(['worker', '--redis', redis.url]);
    workers.push(worker.child);
    const record = await app.call<RunRecord>('startRun', { preset: smallSweep(5), backend: 'auto', workers: 1, where: 'queue' });
    expect((await app.stored(record.id)).status).toBe('finished');
    const events = app.messages.events(record.id);
    expect(events[0].type).toBe('started');
    expect(events.filter((e) => e.type === 'modelFinished')).toHaveLength(36);
    expect(events.filter((e) => e.type === 'progress').at(-1)).toMatchObject({ modelsDone: 36 });
    expect(events.at(-1)!.type).toBe('finished');
    const folder = join(app.dataDir, 'runs', record.id);
    // the local result names its --snapshots file; a run folder's are always its snapshots.npz
    const naming = ',"snapshotsFile":"local-5.npz"';
    const localResult = readFileSync(join(dir, 'local-5.json'), 'utf8');
    expect(localResult).toContain(naming);
    expect(readFileSync(join(folder, 'result.json'), 'utf8')).toBe(localResult.replace(naming, ''));
    expect(readFileSync(join(folder, 'snapshots.npz')).equals(readFileSync(join(dir, 'local-5.npz')))).toBe(true);
    expect(readFileSync(join(folder, 'run.out'), 'utf8')).toBe(readFileSync(join(dir, 'local-5.out'), 'utf8'));
  }, 180_000);

  it('a worker trains a job with the backend its submitter planned, not the one it would pick itself', async () => {
    const connection = connectionOf(redis.url);
    const queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    try {
      const worker = startLab(['worker', '--redis', redis.url]);
      workers.push(worker.child);
      await worker.saw(/waiting for jobs/);
      // `auto` picks the fused kernel for this sweep; the job asks for the direct one
      const sweep = smallSweep(9);
      const preset = parsePreset({ ...sweep, stop: { ...sweep.stop, maxSteps: 200 } }, 'sweep');
      const data: JobData = { preset, from: 0, to: 1, backend: 'direct' };
      const job = await queue.add('train', data, { jobId: 'backend-direct' });
      const value = await job.waitUntilFinished(events, 60_000);
      expect([value.backend, value.engine]).toEqual(['direct', expect.stringMatching(/, backend direct$/)]);
      expect(value.models.map((m) => m.id)).toEqual([0, 1]);
    } finally {
      await Promise.all([queue.close(), events.close()]);
    }
  }, 60_000);
});

// Each waits out the 10 s a client gives Redis to appear; they wait side by side.
describe.concurrent('no Redis there', () => {
  it('the app says plainly when its Redis is not there, and stores nothing', async () => {
    const app = handlerTable();
    await app.call('updateSettings', { redisUrl: 'redis://127.0.0.1:1' });
    expect(await app.table.dispatch('startRun', { preset: smallSweep(5), backend: 'auto', workers: 1, where: 'queue' })).toEqual({
      ok: false,
      error: 'cannot reach Redis at redis://127.0.0.1:1 (waited 10 s): is redis-server running?',
    });
    expect(await app.call('listRuns')).toEqual([]);
  }, 30_000);

  it('says plainly when Redis is not there', async () => {
    const r = await lab(['submit', join(PRESETS, 'sweep-width-vs-schedule.json'), '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('lab: cannot reach Redis at redis://127.0.0.1:1 (waited 10 s): is redis-server running?\n');
  }, 30_000);

  it('lab worker says in one line that Redis is not there, without its password', async () => {
    const r = await lab(['worker', '--redis', 'redis://me:s3cret@127.0.0.1:1']); // a closed port: no Redis needed
    expect(r.status).toBe(2);
    // one line: not the client's error at each of its reconnects first
    expect(r.stderr).toBe('lab: cannot reach Redis at redis://me:***@127.0.0.1:1 (waited 10 s): is redis-server running?\n');
    expect(r.stderr + r.stdout).not.toContain('s3cret');
  }, 30_000);
});
