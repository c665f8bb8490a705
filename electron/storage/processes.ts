// Which process wrote something (a run that records its owner, a temporary file being written), told apart
// from a later process the system gave the same id: by the id and the time the process started, where the
// platform says it — Linux: /proc/<pid>/stat's start time (clock ticks since boot); macOS and the BSDs:
// `ps -o lstart=` (to the second); Windows: by the id alone (Node gives no start time there).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process: its id, and when it started (a string of digits) where the platform says. */
export interface ProcessMark {
  pid: number;
  start?: string;
}

/** When `pid` started, as the system counts it; undefined where the platform does not say, or no such process. */
function startOf(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      // the 22nd field; the 2nd, the command's name in parentheses, may hold spaces and parentheses itself
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  const seconds = Date.parse(ps.stdout?.trim() ?? '') / 1000;
  return Number.isFinite(seconds) ? String(seconds) : undefined;
}

let own: ProcessMark | undefined;

/** This process. */
export function thisProcess(): ProcessMark {
  own ??= { pid: process.pid, start: startOf(process.pid) };
  return own;
}

/** Whether the process marked still runs: one by that id does (signal 0 only asks; EPERM: under another user), and started then. */
export function stillRunning(mark: ProcessMark): boolean {
  try {
    process.kill(mark.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (mark.start === undefined) return true;
  const now = startOf(mark.pid);
  return now === undefined || now === mark.start;
}

/** A mark as a file name carries it: "4242-8812345" (or "4242" where no start time is known). */
export function markText(mark: ProcessMark): string {
  return mark.start === undefined ? String(mark.pid) : `${mark.pid}-${mark.start}`;
}

/** The mark in a file name's text (markText's), or null where it is not one. */
export function markOf(text: string): ProcessMark | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  return m ? { pid: Number(m[1]), ...(m[2] !== undefined && { start: m[2] }) } : null;
}
