// The suite's tiers (vitest.config.ts): every test file belongs to exactly one, so none is left out of
// `npm test` by a name missing from a list.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../vitest.config.ts';
import { ROOT } from './helpers.ts';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? testFiles(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [relative(ROOT, join(dir, entry.name))] : [],
  );
}

describe('the test tiers', () => {
  it('take every test file, each in one tier', () => {
    const tiers = (config as { test: { projects: { test: { name: string; include: string[] } }[] } }).test.projects;
    expect(tiers.map((t) => t.test.name)).toEqual(['fast', 'processes', 'services', 'e2e']);
    const files = testFiles(join(ROOT, 'test'));
    expect(files.length).toBeGreaterThan(25);
    for (const file of files) {
      const holding = tiers.filter((t) =>
        t.test.include.some(
          (pattern) => pattern === file || (pattern.endsWith('/**/*.test.ts') && file.startsWith(pattern.slice(0, -'**/*.test.ts'.length))),
        ),
      );
      expect(
        holding.map((t) => t.test.name),
        file,
      ).toHaveLength(1);
    }
  });
});
