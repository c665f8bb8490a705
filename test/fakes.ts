// Stand-ins for the native parts the handler table is given: dialogs that answer as a test says,
// a clipboard that keeps what was copied, a record of what main sends the renderer, and the handler table over them.
import type { RunMessage, RunRecord, WindowEvent } from '../core/ipc/contract.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, type Clipboard, type Dialogs, type HandlerOptions } from '../electron/ipc/handlers.ts';
import { PRESETS } from './helpers.ts';

/** Dialogs that answer what the test set (null: cancelled). */
export class ScriptedDialogs implements Dialogs {
  nextOpen: string | null = null;
  nextSave: string | null = null;
  nextFolder: string | null = null;
  async openJson(): Promise<string | null> {
    return this.nextOpen;
  }
  async saveFile(): Promise<string | null> {
    return this.nextSave;
  }
  async chooseFolder(): Promise<string | null> {
    return this.nextFolder;
  }
}

/** A clipboard that keeps what was copied, for assertions. */
export class RecordingClipboard implements Clipboard {
  png: Buffer | null = null;
  text: string | null = null;
  async writePng(png: Buffer): Promise<void> {
    this.png = png;
  }
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
}

/** What main sends the renderer, kept in order; a test can wait for a message without polling. */
export class SentMessages {
  readonly all: RunMessage[] = [];
  private waiters: { match: (m: RunMessage) => boolean; resolve: (m: RunMessage) => void }[] = [];

  readonly send = (message: RunMessage): void => {
    this.all.push(message);
    for (const w of this.waiters.filter((w) => w.match(message))) w.resolve(message);
    this.waiters = this.waiters.filter((w) => !w.match(message));
  };

  /** The first message (already sent or still to come) that matches. */
  next(match: (m: RunMessage) => boolean): Promise<RunMessage> {
    const sent = this.all.find(match);
    return sent ? Promise.resolve(sent) : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The run's record once its files are stored. */
  async stored(runId: string): Promise<RunRecord> {
    const m = await this.next((x) => x.kind === 'stored' && x.runId === runId);
    if (m.kind !== 'stored') throw new Error('unreachable');
    return m.record;
  }

  events(runId: string): WindowEvent[] {
    return this.all.flatMap((m) => (m.kind === 'event' && m.runId === runId ? [m.event] : []));
  }
}

/** The real handler table over a fresh temporary data folder, with these stand-ins, and a `call` that throws the error a call answers. */
export function handlerTable(more: Partial<HandlerOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minima-ipc-'));
  const dialogs = new ScriptedDialogs();
  const clipboard = new RecordingClipboard();
  const messages = new SentMessages();
  const table = createHandlers({ dataDir, builtInPresets: PRESETS, dialogs, clipboard, send: messages.send, ...more });
  async function call<T>(method: string, arg?: unknown): Promise<T> {
    const reply = await table.dispatch(method, arg);
    if (!reply.ok) throw new Error(reply.error);
    return reply.value as T;
  }
  return { dataDir, dialogs, clipboard, messages, table, call, stored: (runId: string) => messages.stored(runId) };
}
