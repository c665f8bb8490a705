// electron-vite: main (with the training and loss-landscape workers as entries of their own), CommonJS preloads for the window and
// the GPU page (sandboxed preloads cannot be ES modules), and the Svelte renderer. tfjs, its wasm backend
// and webgpu stay external: each finds its .wasm or native files next to its own package.
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer/renderer.config.ts';

const external = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('electron/main.ts'),
          worker: resolve('electron/engine/worker.ts'),
          'landscape-worker': resolve('electron/engine/landscape-worker.ts'),
        },
        external,
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload.ts'), gpu: resolve('electron/gpu-preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
