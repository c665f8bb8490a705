// electron-vite: main (with the training worker as a second entry), a CommonJS preload (sandboxed
// preloads cannot be ES modules), and the Svelte renderer. tfjs and its wasm backend stay external:
// the wasm backend finds its .wasm files next to its own package.
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './renderer/renderer.config.ts';

const external = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/main.ts'), worker: resolve('electron/engine/worker.ts') },
        external,
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
