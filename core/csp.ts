// The renderer's Content-Security-Policy, written once: main sends it as a header, the renderer's
// index.html carries it as a meta tag (added at build time), and the end-to-end harness serves it.
// Only the app's own bundled scripts, styles, fonts and images; nothing fetched, framed or posted.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');
