// "Export animation…" in Chromium, as a lecturer uses it at a projector's sizes: a short seed run to its
// end, the dialog (screenshot), a GIF of a few frames decoded as a viewer shows it, and a WebM read back by
// mediabunny where this Chromium's WebCodecs encodes VP9.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, Input } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { shownFrames } from '../gif-frames.ts';
import { PRESETS, readJson } from '../helpers.ts';
import { labSuite } from './harness.ts';

const id = (testid: string) => `[data-testid="${testid}"]`;
/** The seed experiment cut short: per-model streams (so its models keep snapshots), 3000 steps. */
const shortSeed = () => ({
  ...readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json')),
  name: 'Short seed',
  rng: 'per-model',
  stop: { maxSteps: 3000, lossLimit: 0.005 },
});
const differ = (a: Uint8ClampedArray, b: Uint8ClampedArray) => !Buffer.from(a).equals(Buffer.from(b));

for (const viewport of [
  { width: 1280, height: 720, size: '960x540' },
  { width: 1920, height: 1080, size: '1280x720' },
]) {
  describe(`Export animation… at ${viewport.width}×${viewport.height}`, () => {
    const { open, shot } = labSuite({ width: viewport.width, height: viewport.height });

    it('writes a GIF of the frames asked for, each moving on, and a WebM where VP9 encodes', async () => {
      let runId = '';
      const lab = await open(async (lab) => {
        runId = (await lab.runToEnd(shortSeed())).id;
      });
      const { page } = lab;
      await page.click(id(`run-${runId}`));
      const button = page.locator(id('chart-fit-animate'));
      await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true);
      await button.click();
      // the fit chart's models that kept snapshots: each group's typical one, picked
      await expect.poll(() => page.locator(`${id('animation-models')} .chip.on`).count()).toBe(2);
      expect(await page.locator(`${id('animation-models')} .chip`).count()).toBe(20);
      const [width, height] = viewport.size.split('x').map(Number);
      await page.selectOption(id('animation-size'), viewport.size);
      await page.selectOption(id('animation-fps'), '5');
      await page.selectOption(id('animation-seconds'), '2');
      await expect.poll(() => page.textContent(id('animation-summary'))).toContain(`10 frames at ${width} × ${height}, 5 fps`);
      // the preview draws the composer's frames at the size asked, and plays them
      await expect.poll(() => page.$eval(id('animation-preview'), (c: HTMLCanvasElement) => [c.width, c.height])).toEqual([width, height]);
      await expect.poll(() => page.textContent(id('animation-frame')), { timeout: 20_000 }).toMatch(/^frame ([2-9]|10) of 10, step /);
      await shot('animation-dialog');

      lab.dialogs.nextSave = join(lab.dataDir, 'escape.gif');
      await page.click(id('animation-save'));
      await expect.poll(() => page.textContent(id('notice')), { timeout: 60_000 }).toContain('Animation saved to');
      expect(await page.isVisible(id('animation-dialog'))).toBe(false);
      const gif = shownFrames(readFileSync(lab.dialogs.nextSave));
      expect([gif.width, gif.height, gif.frames.length]).toEqual([width, height, 10]);
      expect(gif.frames.map((f) => f.centiseconds)).toEqual(Array(10).fill(20)); // 5 fps: 20 cs each
      for (let k = 1; k < gif.frames.length; k++)
        expect(differ(gif.frames[k - 1].rgba, gif.frames[k].rgba), `frames ${k - 1} and ${k}`).toBe(true);
      expect([...gif.frames[0].rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]); // the light theme, top left

      await page.click(id('chart-fit-animate'));
      await page.selectOption(id('animation-size'), viewport.size);
      await page.selectOption(id('animation-fps'), '5');
      await page.selectOption(id('animation-seconds'), '2');
      const webm = page.locator(`${id('animation-format')} option[value=webm]`);
      await expect.poll(() => webm.textContent()).not.toContain('checking');
      if (await webm.isDisabled()) {
        console.warn(`this Chromium cannot encode VP9: ${await webm.textContent()}`);
        return;
      }
      await page.selectOption(id('animation-format'), 'webm');
      lab.dialogs.nextSave = join(lab.dataDir, 'escape.webm');
      await page.click(id('animation-save'));
      await expect.poll(() => page.textContent(id('notice')), { timeout: 60_000 }).toContain('escape.webm');
      const bytes = readFileSync(lab.dialogs.nextSave);
      expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML
      const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
      const track = (await input.getPrimaryVideoTrack())!;
      expect([track.codec, track.displayWidth, track.displayHeight]).toEqual(['vp9', width, height]);
      expect((await track.computePacketStats()).packetCount).toBe(10);
      expect(await input.computeDuration()).toBeCloseTo(2, 2); // 10 frames at 5 fps
    }, 180_000);
  });
}
