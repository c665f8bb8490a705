// The renderer's Vite configuration, shared by electron-vite (electron.vite.config.ts) and the
// end-to-end harness, so the tests drive the renderer exactly as the app builds it.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export const rendererConfig = {
  root,
  base: './',
  plugins: [svelte()],
  build: { rollupOptions: { input: `${root}index.html` }, chunkSizeWarningLimit: 1200 },
} satisfies UserConfig;
