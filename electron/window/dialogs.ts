// The native dialogs the handler table asks for, over the app's window when there is one.
import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Dialogs } from '../ipc/handlers.ts';

export function dialogsFor(window: () => BrowserWindow | undefined): Dialogs {
  return {
    async openJson(title) {
      const w = window();
      const options = { title, properties: ['openFile' as const], filters: [{ name: 'Preset (JSON)', extensions: ['json'] }] };
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(title, suggestedName, extension) {
      const w = window();
      const options = {
        title,
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: extension, extensions: [extension] }],
      };
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return r.canceled ? null : (r.filePath ?? null);
    },
    async chooseFolder(title) {
      const w = window();
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}
