// A sweep sent from the app to a BullMQ queue, end to end: a real redis-server, a real `lab worker`
// process, the real renderer. The Redis URL is checked as typed and kept in the settings; the run waits
// for workers, then fills in as they finish jobs and ends like a local run.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/ipc/contract.ts';
import { startLab } from '../lab.ts';
import { startRedis } from '../redis.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;

describe('a sweep on a Redis queue, from the app', () => {
  const { open, shot } = labSuite({ width: 1440, height: 900 });
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await redis?.stop();
  });

  it('checks the URL, keeps it, waits for workers, and fills in the heatmap as they finish jobs', async () => {
    const { page, reload, handlers } = await open();
    await page.click(id('preset-builtin-sweep-width-vs-schedule'));
    await page.fill(id('field-stop.maxSteps'), '300');
    await page.click(id('tab-run'));
    await page.selectOption(id('run-where'), 'queue');
    expect(await page.isVisible(id('run-backend'))).toBe(false); // the workers choose, not this computer
    await page.fill(id('run-redis'), 'localhost:6379');
    expect(await page.textContent(id('run-redis-problem'))).toBe('Redis URL: expected a redis:// URL, e.g. redis://localhost:6379');
    expect(await page.isDisabled(id('run-start'))).toBe(true);
    await page.fill(id('run-redis'), redis.url);
    await page.click(id('run-start'));

    // no worker yet: its jobs wait, and the screen says how to start one
    await expect.poll(() => page.isVisible(id('run-queue-waiting')), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.textContent(id('run-models-done'))).toBe('0 / 1,200');
    expect(await page.textContent(id('run-status'))).toBe('queued'); // no worker has finished a job: it may have none
    expect(await page.textContent(id('run-queue'))).toBe(redis.url);
    expect(await page.textContent(id('run-queue-waiting'))).toContain(`npm run lab -- worker --redis ${redis.url}`);
    await shot('queue-waiting');

    const started = startLab(['worker', '--redis', redis.url]);
    worker = started.child;
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 120_000 }).toBe('finished');
    expect(await page.textContent(id('run-models-done'))).toBe('1,200 / 1,200');
    expect(await page.textContent(id('run-cells-done'))).toBe('12 / 12');
    expect(await page.textContent(id('run-engine'))).toMatch(/^Minima Lab .*, backend fused-simd$/);
    await shot('queue-finished');
    const listed = await handlers.dispatch('listRuns', undefined);
    const [record] = listed.ok ? (listed.value as RunRecord[]) : [];
    expect(await page.textContent(id(`run-${record.id}`))).toMatch(/finished\s·\s+1,200 models\s·\s+on a queue\s·/);
    expect(await page.getAttribute(id(`run-${record.id}`), 'title')).toContain(`trained on the queue at ${redis.url}`);
    expect(record.queue).toBe(redis.url);

    await reload(); // the URL was kept in the settings
    await page.click(id('tab-run'));
    await page.selectOption(id('run-where'), 'queue');
    expect(await page.inputValue(id('run-redis'))).toBe(redis.url);
  }, 240_000);
});
