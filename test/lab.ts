// The `lab` command for tests: in this process through main (most CLI tests), or the real executable in
// a child process (exit codes, signals, kills), as `npm ci` builds it.
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../electron/cli/main.ts';
import { LAB, ROOT } from './helpers.ts';

/** What a `lab` command line left: its exit code and everything it wrote. */
export interface LabOutcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The training worker as the executable ships it (the processes tier bundles it): it starts faster than the TypeScript one. */
export const BUNDLED_WORKER = pathToFileURL(join(ROOT, 'out/lab/worker.mjs'));

/** Runs a `lab` command line in this process (main, with its output kept): most CLI tests. */
export async function lab(args: string[], workerUrl?: URL): Promise<LabOutcome> {
  const out = { stdout: '', stderr: '' };
  const status = await main(args, {
    workerUrl,
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    signals: new EventEmitter(),
    quit: (code) => {
      throw new Error(`lab quit with ${code}`);
    },
  });
  return { status, ...out };
}

/** Runs the real `lab` executable as a user does, in a child process. */
export const labProcess = (args: string[]): LabOutcome => spawnSync(process.execPath, [LAB, ...args], { cwd: ROOT, encoding: 'utf8' });

/** A `lab` child process whose stderr is kept, with a way to wait for a line in it. */
export function startLab(args: string[]) {
  const child = spawn(process.execPath, [LAB, ...args], { cwd: ROOT });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    exited,
    saw: (pattern: RegExp) =>
      pattern.test(stderr) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve })),
  };
}
