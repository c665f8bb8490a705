// The Electron main process: one window (and a hidden one that owns the GPU), the IPC handler table, native dialogs. Everything else —
// training, storage, validation — is plain Node in engine/, storage/ and ipc/.
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from '../core/csp.ts';
import { GPU_FROM_PAGE_CHANNEL, GPU_TO_PAGE_CHANNEL, invokeChannel, METHODS, RUN_EVENT_CHANNEL } from '../core/ipc/api.ts';
import { gpuPageOver, type GpuPage } from '../core/gpu/remote.ts';
import { createHandlers, type Dialogs } from './ipc/handlers.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'Minima Lab',
    backgroundColor: '#f6f7f9',
    icon: join(app.getAppPath(), 'build/icon.png'),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick', // a middle click opens no window either
    },
  });
  window.once('ready-to-show', () => window.show());
  // No navigation away from the app and no new windows: the renderer is the bundled page only.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // electron-vite's dev server only while developing: a packaged app loads its own files, whatever the environment says
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(join(here, '../renderer/index.html'));
  return window;
}

/**
 * The hidden GPU page: the webgpu backend's groups train in its Chromium (core/gpu/remote.ts), since
 * Electron's memory cage refuses the external buffers Dawn's Node binding maps in main.
 */
function createGpuPage(): GpuPage {
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      preload: join(here, '../preload/gpu.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      backgroundThrottling: false, // never shown: its work must not be slowed as a hidden page's would
    },
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const { page, receive } = gpuPageOver((message) => window.webContents.send(GPU_TO_PAGE_CHANNEL, message));
  ipcMain.on(GPU_FROM_PAGE_CHANNEL, (event, message: Parameters<typeof receive>[0]) => {
    if (event.sender === window.webContents && event.senderFrame === window.webContents.mainFrame) receive(message);
  });
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL)
    void window.loadURL(new URL('gpu.html', process.env.ELECTRON_RENDERER_URL).href);
  else void window.loadFile(join(here, '../renderer/gpu.html'));
  return page;
}

/** Only the app's own page in its own window may call main: not a frame inside it, nor anything it navigated to. */
function fromOurPage(event: IpcMainInvokeEvent, window: BrowserWindow | undefined): boolean {
  const frame = event.senderFrame;
  if (!window || !frame || event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false;
  const url = new URL(frame.url);
  const dev = !app.isPackaged && process.env.ELECTRON_RENDERER_URL;
  return dev ? url.origin === new URL(dev).origin : url.protocol === 'file:' && url.pathname.endsWith('/renderer/index.html');
}

function dialogsFor(window: () => BrowserWindow | undefined): Dialogs {
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

// Chromium ships WebGPU behind this switch on Linux (on by default elsewhere): the GPU page needs it.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

// One Minima Lab at a time: two would share the data folder (and each take the other's runs for crashed ones).
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // no permission (camera, notifications, clipboard reads…) is granted, or even reported as grantable
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  let window: BrowserWindow | undefined;
  const handlers = createHandlers({
    dataDir: app.getPath('userData'),
    builtInPresets: app.isPackaged ? join(process.resourcesPath, 'presets') : join(app.getAppPath(), 'resources/presets'),
    dialogs: dialogsFor(() => window),
    clipboard: {
      writePng: (png) => clipboard.write([new ClipboardItem({ 'image/png': new Blob([new Uint8Array(png)], { type: 'image/png' }) })]),
      writeText: (text) => clipboard.writeText(text),
    },
    send: (message) => window?.webContents.send(RUN_EVENT_CHANNEL, message),
    workerUrl: new URL('./worker.js', import.meta.url),
    gpuPage: createGpuPage(),
  });
  for (const method of METHODS) {
    ipcMain.handle(invokeChannel(method), (event, arg: unknown) =>
      fromOurPage(event, window) ? handlers.dispatch(method, arg) : { ok: false, error: "not from Minima Lab's own page" },
    );
  }
  window = createWindow();
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('before-quit', () => handlers.stopAll());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
