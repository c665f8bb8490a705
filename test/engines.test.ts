// The Node range package.json declares is one every installed package runs on: each package's own `engines`
// admits all of it, but for the Electron tool chain, which declares 22.12 and runs from 20.19 (below).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const ours: string = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

/**
 * Packages that declare Node 22.12 but need only require() of ES modules (Electron's installer loads the
 * ESM-only @electron/get from CommonJS), which Node runs unflagged from 20.19. Asserted below: they load here.
 */
const RUNS_FROM_20_19 = ['electron', '@electron/get', '@electron-internal/extract-zip', '@electron/rebuild', 'node-abi'];

/** Every installed package.json below node_modules (scoped and nested ones too), by package name. */
function installed(dir = join(ROOT, 'node_modules')): { name: string; dir: string; node?: string }[] {
  const found: { name: string; dir: string; node?: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...installed(path));
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; engines?: { node?: string } };
      if (pkg.name) found.push({ name: pkg.name, dir: path, node: pkg.engines?.node });
    }
    if (existsSync(join(path, 'node_modules'))) found.push(...installed(join(path, 'node_modules')));
  }
  return found;
}

describe('the Node range package.json declares', () => {
  const packages = installed();

  it('is admitted by every installed package but the Electron tool chain, and includes the Node running the tests', () => {
    expect(packages.length).toBeGreaterThan(500);
    const refusing = packages
      .filter((p) => p.node && !RUNS_FROM_20_19.includes(p.name))
      .filter((p) => !semver.subset(ours, p.node!, { includePrerelease: false }))
      .map((p) => `${p.name} (node ${p.node})`);
    expect(refusing).toEqual([]);
    expect(semver.satisfies(process.versions.node, ours)).toBe(true);
  });

  it('needs of the Electron tool chain only 22.12, and its ESM-only installer loads through require() here', () => {
    for (const p of packages.filter((x) => RUNS_FROM_20_19.includes(x.name))) {
      expect(semver.subset('>=22.12.0', p.node ?? '*'), `${p.name} declares node ${p.node}`).toBe(true);
    }
    // Electron's install.js is CommonJS and require()s @electron/get, an ES module: that is what 20.19 added.
    const get = createRequire(join(ROOT, 'node_modules/electron/install.js'))('@electron/get') as { downloadArtifact?: unknown };
    expect(typeof get.downloadArtifact).toBe('function');
  });

  it('leaves out the Node 20 releases before require() of ES modules, 21, 22 before 22.13 (ESLint) and 23', () => {
    for (const refused of ['20.18.3', '21.7.3', '22.12.0', '23.11.1']) expect(semver.satisfies(refused, ours), refused).toBe(false);
    for (const admitted of ['20.19.0', '22.13.0', '24.0.0']) expect(semver.satisfies(admitted, ours), admitted).toBe(true);
  });
});
