// The queue's faults and hostile input as a user meets them: real `lab worker` and `lab submit` processes on
// a real redis-server of each test's own, which the tests kill and start again. A bad job fails once with its
// reason; a Redis that goes away, a stop signal, no worker at all and Ctrl-C each end in one clear line, in a
// bounded time, with nothing lost.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf } from '../electron/queue/connection.ts';
import { jobsOf, QUEUE_NAME, type JobData, type JobResult } from '../electron/queue/jobs.ts';
import { planQueueRun } from '../electron/engine/plan.ts';
import { loadAndExpand } from '../electron/storage/preset-file.ts';
import type { RunRecord } from '../core/ipc/contract.ts';
import { handlerTable } from './fakes.ts';
import { presetWith, readJson, smallSweep, smallSweepFile } from './helpers.ts';
import { lab, startLab } from './lab.ts';
import { startRedis, type TestRedis } from './redis.ts';

let dir = '';
/** The small sweep (36 models) as a file, and its local run's result: what every queue run of it must equal. */
let preset = '';
let localJson = '';
/** The `lab` processes a test starts: killed after it, whatever became of it. */
const children: ChildProcess[] = [];
const servers: TestRedis[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minima-queue-faults-'));
  preset = smallSweepFile(dir, 24);
  localJson = join(dir, 'local.json');
  expect((await lab(['run', preset, '--json', localJson])).status).toBe(0);
}, 120_000);
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A redis-server of this test's own, stopped after it. */
async function redisOfTest(persist = false): Promise<TestRedis> {
  const redis = await startRedis({ persist });
  servers.push(redis);
  return redis;
}

/** A `lab` process, killed after the test. */
function labOfTest(args: string[]): ReturnType<typeof startLab> {
  const started = startLab(args);
  children.push(started.child);
  return started;
}

/** A `lab worker` on `url`, killed after the test; resolves once it waits for jobs. */
async function workerOn(url: string, ...more: string[]) {
  const worker = labOfTest(['worker', '--redis', url, ...more]);
  await worker.saw(/waiting for jobs/);
  return worker;
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('a bad job', () => {
  it('is checked field by field against its preset and fails once, with the reason, and the worker goes on', async () => {
    const redis = await redisOfTest();
    const worker = await workerOn(redis.url);
    const connection = connectionOf(redis.url);
    const queue = new Queue<unknown, JobResult>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    try {
      const one = presetWith({ models: 1 }); // 1 model, 200 steps
      const bad: [id: string, data: unknown, reason: string][] = [
        [
          'backend',
          { preset: one, from: 0, to: 0, backend: 'nonsense' },
          'backend: must be one of "fused", "fused-simd", "direct", "tfjs", "tfjs-wasm", "tfjs-cpu", "webgpu"',
        ],
        // once made `lab worker` grow to 4.9 GB and die, and the next worker that took it
        [
          'range',
          { preset: one, from: 0, to: 130_000_000, backend: 'fused' },
          "to: must be at most 0, the preset's last model (got 130000000)",
        ],
        ['order', { preset: presetWith({ models: 4 }), from: 3, to: 1, backend: 'fused' }, 'from: must be at most to, 1 (got 3)'],
        ['fraction', { preset: one, from: 0.5, to: 0, backend: 'fused' }, 'from: must be a whole number'],
        ['preset', { preset: { ...one, seed: -1 }, from: 0, to: 0, backend: 'fused' }, 'seed: must be at least 0'],
        ['shape', 'train me', 'the job: must be an object (not text)'],
      ];
      for (const [id, data, reason] of bad) {
        const job = await queue.add('train', data, { jobId: `bad-${id}`, attempts: 3, backoff: { type: 'fixed', delay: 100 } });
        await expect(job.waitUntilFinished(events, 60_000), id).rejects.toThrow(`job bad-${id}: ${reason}`);
        const failed = (await Job.fromId(queue, `bad-${id}`))!;
        expect([failed.attemptsMade, failed.failedReason], id).toEqual([1, `job bad-${id}: ${reason}`]); // not retried
        await worker.saw(new RegExp(`refused job bad-${id} `));
        expect(worker.stderr()).toContain(`\nrefused job bad-${id} (not retried): job bad-${id}: ${reason}\n`);
      }
      // the same worker trains the next good job
      const good: JobData = { preset: one, from: 0, to: 0, backend: 'fused' };
      const value = await (await queue.add('train', good, { jobId: 'good' })).waitUntilFinished(events, 60_000);
      expect(value.models.map((m) => m.id)).toEqual([0]);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await Promise.all([queue.close(), events.close()]);
    }
  }, 120_000);
});

describe('Redis going away', () => {
  it('lab submit says Redis is unreachable, waits --redis-timeout for it, then exits naming --resume', async () => {
    const redis = await redisOfTest();
    const args = ['submit', preset, '--redis', redis.url, '--job-size', '3', '--redis-timeout', '2'];
    const submit = labOfTest(args);
    await submit.saw(/jobs done: 0 \/ 12/);
    await redis.kill(); // and never started again
    expect(await submit.exited, submit.stderr()).toBe(2);
    expect(submit.stderr()).toContain(`lost Redis at ${redis.url}: waiting up to 2 s for it to come back\n`);
    expect(lastLine(submit.stderr())).toBe(
      `lab: Redis at ${redis.url} did not come back in 2 s: 0 of 12 jobs collected; once it is back, lab ${args.join(' ')} --resume collects the rest`,
    );
  }, 60_000);

  it('a worker without Redis stops on SIGTERM in one line; Redis back, another worker trains its job and submit collects it all', async () => {
    const redis = await redisOfTest(true); // what it acknowledged survives the kill
    const first = await workerOn(redis.url, '--stop-timeout', '3');
    const queueJson = join(dir, 'lost-redis.json');
    const submit = labOfTest(['submit', preset, '--redis', redis.url, '--job-size', '12', '--redis-timeout', '120', '--json', queueJson]);
    await first.saw(/training job (\S+)/);
    const held = /training job (\S+)/.exec(first.stderr())![1];
    await redis.kill();
    await submit.saw(/lost Redis/);
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(0);
    expect(lastLine(first.stderr())).toBe(
      `stopped: could not hand job ${held} back, Redis at ${redis.url} is unreachable: once it is back, its lock runs out (within 10 s), and another worker trains it`,
    );

    await redis.restart();
    await workerOn(redis.url);
    expect(await submit.exited, submit.stderr()).toBe(0);
    expect(submit.stderr()).toMatch(/\nRedis is back after \d+ s\n/);
    expect(readFileSync(queueJson, 'utf8')).toBe(readFileSync(localJson, 'utf8'));
  }, 240_000);

  it('lab submit survives a Redis that comes back empty: it queues what was lost again', async () => {
    const redis = await redisOfTest(); // nothing survives the kill
    const queueJson = join(dir, 'empty-redis.json');
    const submit = labOfTest(['submit', preset, '--redis', redis.url, '--job-size', '12', '--json', queueJson]);
    await submit.saw(/jobs done: 0 \/ 3/);
    await redis.kill();
    await submit.saw(/lost Redis/);
    await redis.restart();
    await submit.saw(/Redis is back/);
    await workerOn(redis.url);
    expect(await submit.exited, submit.stderr()).toBe(0);
    expect(readFileSync(queueJson, 'utf8')).toBe(readFileSync(localJson, 'utf8'));
  }, 240_000);
});

describe('the app’s queue run', () => {
  it('says on the Run screen when Redis is lost and when it is back, then stops as asked', async () => {
    const redis = await redisOfTest(true);
    const app = handlerTable();
    await app.call('updateSettings', { redisUrl: redis.url });
    const record = await app.call<RunRecord>('startRun', { preset: smallSweep(7), backend: 'auto', workers: 1, where: 'queue' });
    await app.messages.next((m) => m.kind === 'event' && m.runId === record.id && m.event.type === 'started');
    const noticed = (pattern: RegExp) => app.messages.next((m) => m.kind === 'notice' && m.runId === record.id && pattern.test(m.text));
    await redis.kill();
    const lost = await noticed(/^lost Redis/);
    expect(lost).toMatchObject({
      text: expect.stringMatching(/^lost Redis at redis:\/\/127\.0\.0\.1:\d+: waiting up to 300 s for it to come back$/),
    });
    await redis.restart();
    await noticed(/^Redis is back after \d+ s$/);
    await app.call('stopRun', { runId: record.id });
    expect((await app.stored(record.id)).status).toBe('stopped');
  }, 60_000);
});

describe('stopping a worker', () => {
  it('SIGTERM hands the job in hand back when --stop-timeout is up; a second signal quits at once; nothing is lost', async () => {
    const redis = await redisOfTest();
    const first = await workerOn(redis.url, '--stop-timeout', '1');
    const queueJson = join(dir, 'handed-back.json');
    const submit = labOfTest(['submit', preset, '--redis', redis.url, '--job-size', '36', '--json', queueJson]);
    await first.saw(/training job (\S+)/);
    const job = /training job (\S+)/.exec(first.stderr())![1];
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(0);
    expect(first.stderr()).toContain(
      `stopping: job ${job} has 1 s to finish, then goes back to the queue (a second signal quits at once)\n`,
    );
    expect(lastLine(first.stderr())).toBe(`stopped: handed job ${job} back to the queue`);

    const second = await workerOn(redis.url);
    await second.saw(/training job/);
    second.child.kill('SIGTERM');
    await second.saw(/stopping:/);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toBe(130);
    expect(lastLine(second.stderr())).toBe(
      `quit at once: job ${job} goes back to the queue when its lock runs out (within 10 s), and another worker trains it`,
    );

    const third = await workerOn(redis.url);
    expect(await submit.exited, submit.stderr()).toBe(0);
    expect(third.stderr()).toContain(`finished job ${job}`);
    expect(readFileSync(queueJson, 'utf8')).toBe(readFileSync(localJson, 'utf8'));
  }, 240_000);
});

describe('lab submit while it waits', () => {
  it('says when no worker has taken a job, shows models, model-steps/s and ETA, and Ctrl-C takes its waiting jobs off', async () => {
    const redis = await redisOfTest();
    const args = ['submit', preset, '--redis', redis.url, '--job-size', '18', '--worker-notice', '1'];
    const submit = labOfTest(args);
    await submit.saw(/no worker has taken/);
    expect(submit.stderr()).toContain(
      `no worker has taken a job in 1 s: no lab worker is connected to ${redis.url}; start one on each machine: lab worker --redis ${redis.url}\n`,
    );
    const worker = await workerOn(redis.url);
    // while the first of its two jobs trains
    await submit.saw(/jobs done: 0 \/ 2, models done: \d+ \/ 36, [\d,]+ model-steps\/s, ETA \d/);
    submit.child.kill('SIGINT');
    expect(await submit.exited, submit.stderr()).toBe(130);
    expect(submit.stderr()).toContain(
      `stopped: took 1 waiting job off the queue; 1 in training finishes there: lab ${args.join(' ')} --resume collects it\n`,
    );
    const [training, waiting] = jobsOf(planQueueRun(await loadAndExpand(preset)), 18);
    const queue = new Queue(QUEUE_NAME, { connection: connectionOf(redis.url) });
    try {
      expect(await queue.getJob(waiting.id)).toBeUndefined();
      await worker.saw(new RegExp(`finished job ${training.id}`));
    } finally {
      await queue.close();
    }

    const resumed = labOfTest([
      'submit',
      preset,
      '--redis',
      redis.url,
      '--job-size',
      '18',
      '--resume',
      '--json',
      join(dir, 'resumed.json'),
    ]);
    expect(await resumed.exited, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toMatch(/^jobs done: 1 \/ 2 \(1 before this submit\), models done: 18 \/ 36\n/);
    expect(readJson<{ models: unknown[] }>(join(dir, 'resumed.json')).models).toHaveLength(36);
  }, 240_000);

  it('takes --max-steps and --seed as lab run does', async () => {
    const redis = await redisOfTest();
    await workerOn(redis.url);
    const overrides = ['--max-steps', '300', '--seed', '9'];
    const [queued, local] = [join(dir, 'overridden-queue.json'), join(dir, 'overridden-local.json')];
    expect((await lab(['run', preset, ...overrides, '--json', local])).status).toBe(0);
    const submit = labOfTest(['submit', preset, '--redis', redis.url, ...overrides, '--json', queued]);
    expect(await submit.exited, submit.stderr()).toBe(0);
    expect(readFileSync(queued, 'utf8')).toBe(readFileSync(local, 'utf8'));
    expect(readJson<{ preset: { seed: number; stop: { maxSteps: number } } }>(queued).preset).toMatchObject({
      seed: 9,
      stop: { maxSteps: 300 },
    });
  }, 120_000);
});

describe('options and refusals', () => {
  it.each([
    [['worker', '--concurrency', '65'], "--concurrency: expected an integer from 1 to 64, got '65'"],
    [['worker', '--stop-timeout', '1h'], "--stop-timeout: expected an integer from 0 to 3,600, got '1h'"],
    [['submit', 'x.json', '--redis-timeout', 'soon'], "--redis-timeout: expected an integer from 0 to 86,400, got 'soon'"],
    [
      ['submit', 'x.json', '--worker-notice', '-1'],
      "--worker-notice: expected a value, got '-1', which reads as an option (a value that starts with - goes as --worker-notice=-1)",
    ],
  ])('lab %j is refused in one line', async (args, message) => {
    const r = await lab([...args, '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`lab: ${message}`);
  });

  it('a wrong password, or a database Redis does not have, is reported at once, in what Redis said', async () => {
    const guarded = await startRedis({ extra: ['--requirepass', 'right'] });
    servers.push(guarded);
    const at = guarded.url.slice('redis://'.length);
    const refusals: [url: string, said: string][] = [
      [`redis://:wr0ng@${at}`, 'WRONGPASS invalid username-password pair or user is disabled.'],
      [`redis://:right@${at}/99`, 'ERR DB index is out of range'],
    ];
    for (const [url, said] of refusals) {
      for (const command of ['submit', 'worker']) {
        const r = await lab(command === 'submit' ? ['submit', preset, '--redis', url] : ['worker', '--redis', url]);
        expect(r.status, `${command} ${url}`).toBe(2);
        // not after the wait for a Redis that is not there: its message says "(waited 10 s)"
        expect(r.stderr).toBe(`lab: cannot reach Redis at ${url.replace(/:\w+@/, ':***@')}: Redis said: ${said}\n`);
      }
    }
  }, 60_000);
});
