// Bundles the `lab` executable (electron/cli/lab.ts), its training worker and the loss-landscape worker (the
// app's, bundled here too so that tests run it as built) into out/lab/ with esbuild: plain JavaScript that
// starts at once, where tsx transpiled every start. Dependencies stay in node_modules.
// `npm ci` runs it (prepare), and `npm run lab` first (prelab), which rebuilds only when a source file is
// newer than the bundle.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'out/lab');
const executable = join(outdir, 'lab.mjs');

/** The newest modification time of a file below `dir` (or of `dir`, a file). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['core', 'electron', 'package.json'].map((p) => join(root, p));
const fresh = existsSync(executable) && statSync(executable).mtimeMs >= Math.max(...sources.map(newest));
if (!fresh) {
  await build({
    absWorkingDir: root,
    entryPoints: {
      lab: 'electron/cli/lab.ts',
      worker: 'electron/engine/worker.ts',
      'landscape-worker': 'electron/engine/landscape-worker.ts',
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  chmodSync(executable, 0o755);
}
