// The renderer's Vite configuration, shared by electron-vite (electron.vite.config.ts) and the
// end-to-end harness, so the tests drive the renderer exactly as the app builds it. Two pages: the app's
// window (index.html) and the hidden GPU page (gpu.html) that trains the WebGPU backend's groups.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import type { Plugin, UserConfig } from 'vite';
import { CSP } from '../core/window/csp.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Puts the one CSP into index.html as its first meta tag. */
const contentSecurityPolicy: Plugin = {
  name: 'minima-csp',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
};

export const rendererConfig = {
  root,
  base: './',
  plugins: [svelte(), contentSecurityPolicy],
  build: { rollupOptions: { input: { index: `${root}index.html`, gpu: `${root}gpu.html` } }, chunkSizeWarningLimit: 1200 },
} satisfies UserConfig;
