// The animation's figures for docs/benchmarks.md: `lab animate` making 120 frames at 1280×720 of the
// seed's escape on one core (target: 30 s), and the GIF encoding it chose (one palette, changed pixels
// only) against a palette per whole frame. Part of `npm run bench`; `npx tsx test/bench/animation.ts`
// measures it alone and rewrites only its section.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import * as gifenc from 'gifenc';
import { AnimationFrames } from '../../core/charts/animation.ts';
import { chartDataOf } from '../../core/charts/data.ts';
import { GifWriter, paletteOf } from '../../core/charts/gif.ts';
import { RunResultSchema } from '../../core/results/events.ts';
import { modelName } from '../../core/results/snapshots.ts';
import { snapshotsIn } from '../../electron/storage/snapshots-file.ts';
import { LAB } from '../helpers.ts';
import { withSection } from './sections.ts';

export const ANIMATION_HEADING = '## Animations';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = ['models#0', 'modelsB#3'];
const [WIDTH, HEIGHT, FPS, SECONDS] = [1280, 720, 30, 4];
const TARGET_SECONDS = 30;
// gifenc's CommonJS build, as core/charts/gif.ts loads it in Node
const { GIFEncoder, quantize, applyPalette } = (gifenc as unknown as { default: typeof gifenc }).default;

function lab(args: string[], pin: boolean): number {
  const t = performance.now();
  const [command, ...rest] = pin && existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0', process.execPath] : [process.execPath];
  const r = spawnSync(command, [...rest, LAB, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`lab ${args[0]} failed: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

/** The section: the seed's whole run with snapshots, then `lab animate` on one core and the encoders side by side. */
export function measureAnimation(tmp: string): string {
  mkdirSync(tmp, { recursive: true });
  const [json, npz, gif] = [`${tmp}animate-seed.json`, `${tmp}animate-seed.npz`, `${tmp}escape.gif`];
  const seedFile = 'resources/presets/seed-narrow-vs-wide.json';
  lab(['run', seedFile, '--rng', 'per-model', '--workers', '2', '--json', json, '--snapshots', npz], false);
  const animateArgs = ['--size', `${WIDTH}x${HEIGHT}`, '--fps', String(FPS), '--seconds', String(SECONDS)];
  const wall = lab(['animate', json, ...MODELS.flatMap((m) => ['--model', m]), '--out', gif, ...animateArgs], true);
  const encoders = compareEncoders(json, npz);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
  return `${ANIMATION_HEADING}

\`lab animate\` of the seed's run on per-model streams (its snapshots kept), the narrow ${MODELS[0]} beside the wide
CyclicLR ${MODELS[1]} that escapes: ${FPS * SECONDS} frames at ${WIDTH}×${HEIGHT} (\`${animateArgs.join(' ')}\`), pinned to one
core (\`taskset -c 0\`), start-up and writing included: **${wall.toFixed(1)} s** (target ≤ ${TARGET_SECONDS} s: ${wall <= TARGET_SECONDS ? 'met' : 'missed'}), a ${mb(statSync(gif).size)} MB GIF.

In this process, the same ${FPS * SECONDS} frames: drawing them (three Chart.js charts updated in place, copied into the
frame, read back) ${encoders.drawSeconds.toFixed(1)} s; encoding them with one palette from three frames and only each
frame's changed pixels (what \`lab animate\` does) ${encoders.chosen.seconds.toFixed(1)} s, ${mb(encoders.chosen.bytes)} MB; with a palette per whole
frame (gifenc's quantize each frame) ${encoders.perFrame.seconds.toFixed(1)} s, ${mb(encoders.perFrame.bytes)} MB. The last frame's mean error per colour
channel (0–255): ${encoders.chosen.error.toFixed(2)} with the one palette, ${encoders.perFrame.error.toFixed(2)} with its own.
`;
}

type Rgba = Uint8ClampedArray;

function compareEncoders(json: string, npz: string) {
  const result = RunResultSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
  const kept = snapshotsIn(readFileSync(npz), MODELS);
  const byId = new Map(result.models.filter((m) => kept.has(modelName(m))).map((m) => [m.id, kept.get(modelName(m))!]));
  const ids = result.models.filter((m) => MODELS.includes(modelName(m))).map((m) => m.id);
  const request = { models: ids, width: WIDTH, height: HEIGHT, fps: FPS, seconds: SECONDS, theme: 'light' as const };
  const frames = new AnimationFrames(chartDataOf(result, byId), request, (w, h) => createCanvas(w, h));
  let t = performance.now();
  const pixels: Rgba[] = frames.steps.map((step) => {
    frames.frame(step);
    return frames.pixels().slice() as Rgba;
  });
  const drawSeconds = (performance.now() - t) / 1000;
  frames.destroy();
  const last = pixels.at(-1)!;
  t = performance.now();
  const palette = paletteOf([pixels[0], pixels[pixels.length >> 1], last]);
  const writer = new GifWriter(WIDTH, HEIGHT, palette);
  pixels.forEach((p, k) => writer.add(p, frames.delays[k]));
  const chosen = { seconds: (performance.now() - t) / 1000, bytes: writer.bytes().length, error: meanError(last, palette.slice(0, 255)) };
  t = performance.now();
  const encoder = GIFEncoder();
  for (const [k, p] of pixels.entries()) {
    const own = quantize(p, 256);
    encoder.writeFrame(applyPalette(p, own), WIDTH, HEIGHT, { palette: own, delay: frames.delays[k] * 10 });
  }
  encoder.finish();
  const perFrame = { seconds: (performance.now() - t) / 1000, bytes: encoder.bytes().length, error: meanError(last, quantize(last, 256)) };
  return { drawSeconds, chosen, perFrame };

  function meanError(rgba: Rgba, colors: number[][]): number {
    const index = applyPalette(rgba, colors);
    let sum = 0;
    for (let p = 0; p < index.length; p++) for (let c = 0; c < 3; c++) sum += Math.abs(colors[index[p]][c] - rgba[p * 4 + c]);
    return sum / index.length / 3;
  }
}

// alone: measure, and rewrite only this section of docs/benchmarks.md
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = measureAnimation(`${root}tmp/`);
  const doc = `${root}docs/benchmarks.md`;
  writeFileSync(doc, withSection(readFileSync(doc, 'utf8'), ANIMATION_HEADING, section));
  process.stdout.write(section);
}
