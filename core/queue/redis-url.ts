// Redis URLs: which ones the queue takes, and how one is shown without its password.

/**
 * A Redis URL as notices, logs and errors may show it: the password as ***. Plain text rules, not URL parsing, so a
 * mistyped URL hides it too: credentials run from after the scheme's // (or the start) to the last @, the
 * password from their first colon; a // further on may be the password's own.
 */
export function shownUrl(url: string): string {
  const at = url.lastIndexOf('@');
  const scheme = /^[a-z][\w+.-]*:?\/\//i.exec(url)?.[0].length ?? 0;
  const colon = url.indexOf(':', scheme);
  return colon < 0 || colon > at ? url : `${url.slice(0, colon + 1)}***${url.slice(at)}`;
}

/** A redis:// or rediss:// URL with a host (what `lab worker --redis` and the app's queue setting take). */
export function isRedisUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {
    return false;
  }
}
