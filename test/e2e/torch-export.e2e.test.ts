// The preset editor's PyTorch script menu in Chromium, window.lab bound to the real handler table: the
// script copied or saved is the one `lab export torch` writes (the seed's is docs/seed-run/), and the menu
// waits while the preset has a problem.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
const SEED_SCRIPT = join(ROOT, 'docs/seed-run/seed-narrow-vs-wide.py');

for (const viewport of [undefined, { width: 1280, height: 720 }]) {
  describe(`Copy and Save as PyTorch script${viewport ? ` at ${viewport.width}×${viewport.height}` : ''}`, () => {
    const { open, shot } = labSuite(viewport);

    it('copies the seed as its PyTorch script, saves it where the user picks, and waits for a preset without problems', async () => {
      const lab = await open();
      const { page } = lab;
      await page.click(id('preset-builtin-seed-narrow-vs-wide'));
      await expect.poll(() => page.textContent(id('current-preset'))).toContain('Seed: narrow SGD vs wide CyclicLR');
      // one toolbar line, the menu beside Export…
      const [exported, menu] = await Promise.all(
        [id('preset-export'), id('preset-torch-menu')].map((s) => page.$eval(s, (el) => el.getBoundingClientRect().toJSON() as DOMRect)),
      );
      expect(menu.top).toBe(exported.top);
      expect(menu.left).toBeGreaterThan(exported.right);
      await page.click(id('preset-torch-menu'));
      await shot('torch-menu');
      await page.click(id('preset-torch-copy'));
      await expect.poll(() => page.textContent(id('notice'))).toContain('PyTorch script copied to the clipboard.');
      expect(lab.clipboard.text).toBe(readFileSync(SEED_SCRIPT, 'utf8'));

      lab.dialogs.nextSave = join(lab.dataDir, 'seed.py');
      await page.click(id('preset-torch-menu'));
      await page.click(id('preset-torch-save'));
      await expect.poll(() => page.textContent(id('notice'))).toContain(`PyTorch script saved to ${lab.dialogs.nextSave}`);
      expect(readFileSync(lab.dialogs.nextSave, 'utf8')).toBe(readFileSync(SEED_SCRIPT, 'utf8'));

      await page.fill(id('field-groups[1].optimizer.lr'), '-1');
      await expect.poll(() => page.isDisabled(id('preset-torch-menu'))).toBe(true);
    });
  });
}
