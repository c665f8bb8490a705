// The app's two pages, the window's and the hidden GPU page's: how they load, what they may not do,
// and which IPC messages count as theirs.
import { app, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';

export type Page = 'index.html' | 'gpu.html';

/** No navigation away from the app and no new windows: the page stays the bundled page only. */
export function lockDown(window: BrowserWindow): void {
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * One of the app's bundled pages, `mainDir` the folder of main's bundle (electron-vite's dev server only
 * while developing: a packaged app loads its own files, whatever the environment says).
 */
export function loadPage(window: BrowserWindow, page: Page, mainDir: string): Promise<void> {
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) return window.loadURL(new URL(page, process.env.ELECTRON_RENDERER_URL).href);
  return window.loadFile(join(mainDir, `../renderer/${page}`));
}

/** Only the app's own page in its own window may call main: not a frame inside it, nor anything it navigated to. */
export function fromOurPage(event: IpcMainEvent | IpcMainInvokeEvent, window: BrowserWindow | undefined, page: Page): boolean {
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || !frame || event.sender !== window.webContents || frame !== window.webContents.mainFrame)
    return false;
  const url = new URL(frame.url);
  const path = url.pathname === '/' ? '/index.html' : url.pathname; // the dev server serves index.html at /
  const dev = !app.isPackaged && process.env.ELECTRON_RENDERER_URL;
  return dev
    ? url.origin === new URL(dev).origin && path.endsWith(`/${page}`)
    : url.protocol === 'file:' && path.endsWith(`/renderer/${page}`);
}
