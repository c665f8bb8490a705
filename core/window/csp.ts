// The renderer's Content-Security-Policy, written once: main sends it as a header, the renderer's
// index.html carries it as a meta tag (added at build time), and the end-to-end harness serves it.
// Only the app's own bundled scripts, styles, fonts and images; nothing fetched, framed or posted. No inline
// styles either: Svelte's are in the bundled stylesheet, and sizes set from script (Chart.js's canvases) go
// through the CSSOM, which a CSP does not govern.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');
