// Global setup of the tiers that start `lab`: the executable bundled once (out/lab/, as `npm ci` leaves it),
// rebuilt only where a source file is newer.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.ts';

export default function buildLab(): void {
  execFileSync(process.execPath, [join(ROOT, 'build/bundle-lab.mjs')], { stdio: 'inherit' });
}
