// Unsaved edits are never dropped without a word. The page refuses to unload while its draft has edits
// not saved (its beforeunload handler, renderer/src/lib/state/startup.ts); Electron then shows nothing of
// its own but tells main, which asks the user here, natively: the reload or the window's close (a quit's
// too) goes on only when the user says to discard them.
import type { MessageBoxSyncOptions } from 'electron';

/** The question, its safe answer (keep editing) the default and what Escape gives. */
export const DISCARD_QUESTION: MessageBoxSyncOptions = {
  type: 'question',
  title: 'Unsaved edits',
  message: 'Discard unsaved edits?',
  detail: 'The preset in the editor has edits that are not saved. Closing or reloading the window drops them.',
  buttons: ['Discard', 'Keep editing'],
  defaultId: 1,
  cancelId: 1,
};
const DISCARD = 0;

/** What main hears from the page: webContents' will-prevent-unload, whose preventDefault() lets the unload go on. */
export interface RefusedUnloads {
  on(event: 'will-prevent-unload', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Asks (`ask`: dialog.showMessageBoxSync over the window, answering a button's index) whenever the page refuses to unload. */
export function askBeforeDroppingEdits(contents: RefusedUnloads, ask: (question: MessageBoxSyncOptions) => number): void {
  contents.on('will-prevent-unload', (event) => {
    if (ask(DISCARD_QUESTION) === DISCARD) event.preventDefault(); // overrides the page's refusal
  });
}
