// "Export animation…" in Chromium, as a lecturer uses it at a projector's sizes: a short seed run to its
// end, the dialog (screenshot), a GIF of a few frames decoded as a viewer shows it, an encoding stopped
// half-way, WebM and MP4 read back by mediabunny where this Chromium's WebCodecs encodes VP9 and H.264, and
// the button disabled, saying why, for a run without snapshots.
import { existsSync, readFileSync, rmSync } from 'node:fs';
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

    it('writes a GIF of the frames asked for, each moving on, and WebM and MP4 where they encode', async () => {
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

      // Stop while its frames are drawn: nothing is saved, and the dialog stays for another try
      await page.click(id('chart-fit-animate'));
      await page.selectOption(id('animation-seconds'), '10');
      lab.dialogs.nextSave = join(lab.dataDir, 'stopped.gif');
      await page.click(id('animation-save'));
      await expect.poll(() => page.textContent(id('animation-progress'))).toMatch(/frame \d+ of 300/);
      await page.click(id('animation-cancel'));
      await expect.poll(() => page.isVisible(id('animation-progress'))).toBe(false);
      expect(await page.isVisible(id('animation-dialog'))).toBe(true);
      expect(existsSync(lab.dialogs.nextSave)).toBe(false);
      // the preview is drawn on the background asked for
      const previewCorner = () =>
        page.$eval(id('animation-preview'), (canvas: HTMLCanvasElement) => {
          const [r, g, b] = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
          return r + g + b;
        });
      await expect.poll(previewCorner).toBe(3 * 255);
      await page.selectOption(id('animation-theme'), 'dark');
      await expect.poll(previewCorner).toBeLessThan(150);
      await page.selectOption(id('animation-theme'), 'light');

      // the video formats this Chromium's WebCodecs encodes, read back by mediabunny
      for (const [format, codec, magic] of [
        ['webm', 'vp9', [[0, [0x1a, 0x45, 0xdf, 0xa3]]]], // EBML
        ['mp4', 'avc', [[4, [...Buffer.from('ftyp')]]]],
      ] as const) {
        if (!(await page.isVisible(id('animation-dialog')))) await page.click(id('chart-fit-animate')); // closed by a save
        const option = page.locator(`${id('animation-format')} option[value=${format}]`);
        await expect.poll(() => option.textContent()).not.toContain('checking');
        if (await option.isDisabled()) {
          console.warn(`this Chromium cannot encode ${codec}: ${await option.textContent()}`);
          continue;
        }
        await page.selectOption(id('animation-size'), viewport.size);
        await page.selectOption(id('animation-fps'), '5');
        await page.selectOption(id('animation-seconds'), '2');
        await page.selectOption(id('animation-format'), format);
        lab.dialogs.nextSave = join(lab.dataDir, `escape.${format}`);
        await page.click(id('animation-save'));
        await expect.poll(() => page.textContent(id('notice')), { timeout: 60_000 }).toContain(`escape.${format}`);
        const bytes = readFileSync(lab.dialogs.nextSave);
        for (const [at, expected] of magic) expect([...bytes.subarray(at, at + expected.length)]).toEqual(expected);
        const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
        const track = (await input.getPrimaryVideoTrack())!;
        expect([track.codec, track.displayWidth, track.displayHeight]).toEqual([codec, width, height]);
        expect((await track.computePacketStats()).packetCount).toBe(10);
        expect(await input.computeDuration()).toBeCloseTo(2, 2); // 10 frames at 5 fps
      }

      // a run whose snapshots are gone: the button stays, disabled, saying why
      rmSync(join(lab.dataDir, 'runs', runId, 'snapshots.npz'));
      await lab.reload();
      await page.click(id(`run-${runId}`));
      await expect.poll(() => button.getAttribute('title')).toMatch(/^No animation: this run kept no snapshots \(/);
      expect(await button.isDisabled()).toBe(true);
    }, 180_000);
  });
}
