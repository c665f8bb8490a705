// The app's GPU path, end to end: the hidden GPU page (gpu.html) in Chromium with WebGPU on SwiftShader,
// linked to the real handler table as Electron links it; a sweep run on the webgpu backend from the Run
// screen trains its cells there and ends with the same models as the fused CPU kernel's run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord, StoredRun } from '../../core/ipc/contract.ts';
import { modelName } from '../../core/results/snapshots.ts';
import { snapshotsIn } from '../../electron/storage/snapshots-file.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;

describe('the webgpu backend in the app', () => {
  const { open, shot } = labSuite({ width: 1440, height: 900 });

  it('trains a sweep on the GPU page and ends with the fused kernel’s models', async () => {
    const { page, handlers, messages, gpuCalls, dataDir } = await open(undefined, { gpu: true });
    await page.click(id('preset-builtin-sweep-width-vs-schedule'));
    await page.fill(id('field-stop.maxSteps'), '300');
    await page.fill(id('field-groups[0].models'), '8');
    await page.click(id('tab-run'));
    await page.selectOption(id('run-backend'), 'webgpu');
    await page.click(id('run-start'));
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 180_000 }).toBe('finished');
    expect(await page.textContent(id('run-models-done'))).toBe('96 / 96');
    expect(await page.textContent(id('run-engine'))).toMatch(/^Minima Lab .*, backend webgpu: google swiftshader/);
    expect(gpuCalls).toHaveLength(12); // each cell, trained by the GPU page
    await shot('webgpu-run');

    const call = async <T>(method: string, arg?: unknown): Promise<T> => {
      const reply = await handlers.dispatch(method, arg);
      if (!reply.ok) throw new Error(reply.error);
      return reply.value as T;
    };
    const [onGpu] = await call<RunRecord[]>('listRuns');
    const gpuRun = await call<StoredRun>('getRun', { id: onGpu.id });
    const fused = await call<RunRecord>('startRun', { preset: gpuRun.preset, backend: 'fused', workers: 2 });
    await messages.stored(fused.id);
    const cpuRun = await call<StoredRun>('getRun', { id: fused.id });
    const outcome = (r: StoredRun) => r.result!.models.map((m) => `${m.group} #${m.index} ${m.status} ${m.steps} ${m.outcome}`);
    expect(outcome(gpuRun)).toHaveLength(96);
    expect(outcome(gpuRun)).toEqual(outcome(cpuRun));
    // the GPU page sends the kept models' parameters with its chunks: the run's folder has their snapshots
    const first = modelName(gpuRun.result!.models[0]);
    const kept = snapshotsIn(readFileSync(join(dataDir, 'runs', onGpu.id, 'snapshots.npz')), [first]);
    expect(kept.get(first)!.step.slice(0, 3)).toEqual([0, 1, 2]);
  }, 300_000);

  it('fails the run in words when the GPU page goes in the middle of it', async () => {
    const { page, closeGpuPage, gpuCalls, messages } = await open(undefined, { gpu: true });
    await page.click(id('preset-builtin-sweep-width-vs-schedule'));
    await page.fill(id('field-stop.maxSteps'), '1000000');
    await page.click(id('tab-run'));
    await page.selectOption(id('run-backend'), 'webgpu');
    await page.click(id('run-start'));
    await page.click(id('confirm-ok')); // a run that long is asked about first
    await expect.poll(() => gpuCalls.length, { timeout: 60_000 }).toBe(1); // the first cell is training there
    // its models report as they train, weights included (read back from the GPU page), long before they end
    const live = () =>
      messages.all.some(
        (m) => m.kind === 'event' && m.event.type === 'progress' && m.event.models.some((p) => p.step > 0 && p.params?.length),
      );
    await expect.poll(live, { timeout: 60_000 }).toBe(true);
    await closeGpuPage();
    await expect.poll(() => page.textContent(id('run-status')), { timeout: 60_000 }).toBe('failed');
    await expect.poll(() => page.textContent(id('notice'))).toContain('the GPU page stopped (closed)');
  }, 180_000);
});
