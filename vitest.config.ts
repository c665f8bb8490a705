// The test suite in four tiers, each a vitest project (`vitest run --project NAME`):
//   fast       pure logic and the kernels against PyTorch's fixtures: no child process, service or browser.
//              A developer runs it after every change (`npm run test:fast`).
//   processes  the real `lab` executable and worker threads: the CLI, shards, exports, runs, the handler table.
//   services   a real redis-server, WebGPU on SwiftShader, TensorFlow.js.
//   e2e        the renderer in Debian's Chromium.
// `npm test` runs them all, two files at a time (the e2e tier last, one at a time): most of the slow files
// wait on a process, a lock or a page.
import { defineConfig } from 'vitest/config';

const FAST = [
  'animation',
  'compare',
  'contract',
  'engine',
  'engines',
  'fixtures',
  'format',
  'fused',
  'fused-simd',
  'highlight',
  'kinks',
  'landscape',
  'landscape-chart',
  'optim',
  'plan',
  'preset',
  'preset.property',
  'preset-diff',
  'reading',
  'result-format',
  'rng',
  'runs-table',
  'run-view',
  'schedule',
  'snapshots',
  'stats',
  'tiers',
  'timeline',
  'units',
  'window',
];
const PROCESSES = ['animate', 'cli', 'exports', 'hostile', 'ipc', 'memory', 'run', 'shard', 'sweep', 'torch-export'];
const SERVICES = ['queue', 'queue-faults', 'tfjs', 'tfjs-fixtures', 'webgpu'];
const files = (names: string[]) => names.map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fast', include: files(FAST) } },
      { extends: true, test: { name: 'processes', include: files(PROCESSES), globalSetup: 'test/build-lab.setup.ts' } },
      { extends: true, test: { name: 'services', include: files(SERVICES), globalSetup: 'test/build-lab.setup.ts' } },
      // after the others, one file at a time: a page's smoothness (the timeline's drag, under 50 ms a task) is
      // measured, and another file training a run on the second core would starve the page it watches
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: 'test/e2e/build-renderer.setup.ts',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
