// The queue's Redis connection: a URL as BullMQ's options, the first wait for Redis (said in one line when it
// is not there or refuses), and a watch on it afterwards, so that a Redis that goes away mid-run is said.
import type { ConnectionOptions, RedisClient } from 'bullmq';
import { isRedisUrl, shownUrl } from '../../core/queue/redis-url.ts';

/** How long a client waits for Redis before saying it is not there. */
const REDIS_WAIT_MS = 10_000;

/** How often a client that lost Redis tries again: a Redis back is noticed within a second (BullMQ's own waits grow to 20 s). */
const RECONNECT_MS = 1_000;

/** A redis:// URL as BullMQ's connection options. */
export function connectionOf(url: string): ConnectionOptions {
  if (!isRedisUrl(url)) throw new Error(`expected a redis:// URL with a host, got '${shownUrl(url)}'`);
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: () => RECONNECT_MS,
  };
}

/** A BullMQ client as `reachable` waits on it. */
interface Client {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
}

/** A connection that is not there (yet), as opposed to a Redis that answered something. */
export const CONNECTION_TROUBLE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE|Connection is closed/;

/** Redis's own refusals of the client: final, so said at once rather than after REDIS_WAIT_MS. */
const REFUSED = /WRONGPASS|NOAUTH|NOPERM|DB index is out of range/;

/**
 * Waits for a BullMQ client's connection, or says plainly that Redis is not there; or, where a Redis
 * answered and refused (a wrong password, a database it does not have), what it said, as soon as it says it.
 */
export function reachable(client: Client, url: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let said = '';
    const heard = (err: Error) => {
      if (CONNECTION_TROUBLE.test(err.message)) return;
      said = err.message;
      if (REFUSED.test(said)) end(new UnreachableError(`cannot reach Redis at ${url}: Redis said: ${said}`));
    };
    const timer = setTimeout(() => {
      const why = said ? `Redis said: ${said}` : 'is redis-server running?';
      end(new UnreachableError(`cannot reach Redis at ${url} (waited ${REDIS_WAIT_MS / 1000} s): ${why}`));
    }, REDIS_WAIT_MS);
    let ended = false;
    const end = (err?: unknown) => {
      if (ended) return; // a refusal, then the connection Redis let through anyway
      ended = true;
      clearTimeout(timer);
      client.off('error', heard);
      if (err) reject(err);
      else resolve();
    };
    client.on('error', heard);
    client.waitUntilReady().then(() => end(), end);
  });
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** A BullMQ client's Redis connections: its commands' and, for a worker, its blocking one. */
interface Connected {
  backend: { client: Promise<RedisClient>; blockingClient?: Promise<RedisClient> };
}

/** What a watch on Redis reports: the moment one of the connections drops, and the moment all are up again. */
export interface RedisWatcher {
  lost(): void;
  back(): void;
}

/**
 * Follows the connections of BullMQ clients already connected (after `reachable`): `lost` when one drops,
 * `back` once every one is up again. Resolves to the end of the watch.
 */
export async function watchRedis(owners: Connected[], watcher: RedisWatcher): Promise<() => void> {
  const pending = owners.flatMap(({ backend }) => [backend.client, ...(backend.blockingClient ? [backend.blockingClient] : [])]);
  const clients = await Promise.all(pending);
  let up = true;
  const check = () => {
    const now = clients.every((c) => c.status === 'ready');
    if (now === up) return;
    up = now;
    if (up) watcher.back();
    else watcher.lost();
  };
  for (const c of clients) c.on('close', check).on('ready', check);
  check(); // dropped while the watch began
  return () => {
    for (const c of clients) c.off('close', check).off('ready', check);
  };
}
