// Global setup of the e2e tier: the renderer built once for every file (the harness serves it from the
// folder RENDERER_DIR names), not once per file.
import { rmSync } from 'node:fs';
import { buildRenderer, RENDERER_DIR } from './renderer-build.ts';

export default async function setup(): Promise<() => void> {
  const dir = await buildRenderer();
  process.env[RENDERER_DIR] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
