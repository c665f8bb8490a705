// What every part of the renderer's state shares: the screen shown, the notice, the question waiting
// for an answer, and attempt(), which reports an action's failure instead of throwing it. Only the
// state files under this folder call window.lab; components call them.
import type { LabApi } from '../../../../core/ipc/contract.ts';

declare global {
  interface Window {
    lab: LabApi;
  }
}

export type Screen = 'editor' | 'run' | 'results' | 'runs' | 'compare';

/**
 * A question the user answers before something is lost (discarding edits, deleting a preset or a run) or
 * spent (a run of hours): `spends` where nothing is lost, so its button is not drawn as a danger.
 */
export interface Confirmation {
  title: string;
  detail?: string;
  confirm: string;
  spends?: boolean;
  cancel: string;
  action: () => void;
}

/** How long a notice that something worked stays (errors stay until closed). */
const NOTICE_MS = 4000;

class Page {
  screen = $state<Screen>('editor');
  /** A message for the user (an action that failed, or what just happened). */
  notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** A question waiting for the user's answer. */
  confirmation = $state<Confirmation | null>(null);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Shows a message; one that says something worked goes by itself after a few seconds. */
  say(kind: 'error' | 'info', text: string): void {
    clearTimeout(this.noticeTimer);
    this.notice = { kind, text };
    if (kind === 'info') this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
  }

  /** Runs an action, reporting its failure instead of throwing it: its value, or `failed` when it threw. */
  async attempt<T>(action: () => Promise<T>, done?: string): Promise<{ value: T } | 'failed'> {
    try {
      const value = await action();
      if (done) this.say('info', done);
      return { value };
    } catch (err) {
      this.say('error', err instanceof Error ? err.message : String(err));
      return 'failed';
    }
  }
}

export const page = new Page();
