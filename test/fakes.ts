// Stand-ins for the native parts the handler table is given: dialogs that answer as a test says,
// and a clipboard that keeps what was copied.
import type { Clipboard, Dialogs } from '../electron/ipc/handlers.ts';

/** Dialogs that answer what the test set (null: cancelled). */
export class ScriptedDialogs implements Dialogs {
  nextOpen: string | null = null;
  nextSave: string | null = null;
  nextFolder: string | null = null;
  async openJson(): Promise<string | null> { return this.nextOpen; }
  async saveFile(): Promise<string | null> { return this.nextSave; }
  async chooseFolder(): Promise<string | null> { return this.nextFolder; }
}

/** A clipboard that keeps what was copied, for assertions. */
export class RecordingClipboard implements Clipboard {
  png: Buffer | null = null;
  text: string | null = null;
  async writePng(png: Buffer): Promise<void> { this.png = png; }
  async writeText(text: string): Promise<void> { this.text = text; }
}

