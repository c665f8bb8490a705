// The renderer as the app ships it, built with vite into a temporary folder. The e2e tier's global setup
// builds it once and names the folder in RENDERER_DIR; a script outside vitest builds its own.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { rendererConfig } from '../../renderer/renderer.config.ts';

/** The environment variable that names a renderer already built. */
export const RENDERER_DIR = 'MINIMA_RENDERER_DIR';

export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'minima-renderer-'));
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererConfig.build, outDir, emptyOutDir: true },
  });
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`the renderer build wrote no index.html to ${outDir}`);
  return outDir;
}
