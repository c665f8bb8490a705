// docs/benchmarks.md is written by more than one bench: each owns the sections under its own headings.

/** `npm run bench:webgpu`'s section; `npm run bench` keeps it as it is. */
export const WEBGPU_HEADING = '## WebGPU: one kernel thread per model';

/** `npm run bench:simd`'s section (the WebAssembly kernel against the fused kernel); `npm run bench` keeps it. */
export const FUSED_SIMD_HEADING = '## The WebAssembly kernel (fused-simd) against the fused kernel';

/** The test suite's timings, measured by hand (the commands are in the section); `npm run bench` keeps it. */
export const SUITE_HEADING = '## The test suite';

/** The section under `heading` (up to the next `## `), or '' when there is none. */
export function sectionOf(doc: string, heading: string): string {
  const at = doc.indexOf(`${heading}\n`);
  if (at < 0) return '';
  const next = doc.indexOf('\n## ', at + heading.length);
  return next < 0 ? doc.slice(at) : doc.slice(at, next + 1);
}

/** `doc` with the section under `heading` replaced by `section` (which starts with the heading), or appended. */
export function withSection(doc: string, heading: string, section: string): string {
  const old = sectionOf(doc, heading);
  const body = `${section.trimEnd()}\n`;
  return old ? doc.replace(old, body) : `${doc.trimEnd()}\n\n${body}`;
}
