// The Electron main process: one window (and a hidden one that owns the GPU), the IPC handler table, native dialogs. Everything else —
// training, storage, validation — is plain Node in engine/, storage/ and ipc/.
import {
  app,
  BrowserWindow,
  clipboard,
  ClipboardItem,
  dialog,
  ipcMain,
  Menu,
  session,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from '../core/csp.ts';
import { createLabApi, GPU_FROM_PAGE_CHANNEL, GPU_TO_PAGE_CHANNEL, invokeChannel, METHODS, RUN_EVENT_CHANNEL } from '../core/ipc/api.ts';
import type { ZoomDirection } from '../core/zoom.ts';
import { gpuPageOver, isGpuPageMessage, type FromGpuPage, type GpuPage } from '../core/gpu/remote.ts';
import { createHandlers, type Dialogs } from './ipc/handlers.ts';
import { appMenu } from './window/menu.ts';
import { WindowZoom } from './window/zoom.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

function createWindow(zoom: WindowZoom): BrowserWindow {
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
  // shown at the kept zoom (Chromium keeps it per origin for the session's later loads)
  window.once('ready-to-show', () => keep(zoom.restore().finally(() => window.show())));
  window.webContents.on('zoom-changed', (_event, direction) => keep(zoom.step(direction))); // Ctrl + mouse wheel
  // No navigation away from the app and no new windows: the renderer is the bundled page only.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void loadPage(window, 'index.html');
  // the app ends with its window: the GPU page goes too, so the app quits (and, on macOS, reopens on activate)
  window.on('closed', () => gpu?.window.destroy());
  return window;
}

/** A zoom that cannot be read or kept still leaves the window usable: say so in the log only. */
function keep(zooming: Promise<unknown>): void {
  zooming.catch((err: unknown) => console.error('Minima Lab: the zoom setting could not be read or kept:', err));
}

/**
 * The hidden GPU page, opened when a run first needs it: the webgpu backend's groups train in its Chromium
 * (core/gpu/remote.ts), since Electron's memory cage refuses the external buffers Dawn's Node binding maps
 * in main. A page that crashes or loses its device says so to the runs using it, and the next run opens a
 * new one.
 */
let gpu: { window: BrowserWindow; page: GpuPage; receive: (message: FromGpuPage) => void } | undefined;

function gpuPage(): GpuPage {
  if (gpu && !gpu.window.isDestroyed()) return gpu.page;
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
  const link = gpuPageOver((message) => {
    if (!window.isDestroyed()) window.webContents.send(GPU_TO_PAGE_CHANNEL, message);
  });
  const opened = {
    window,
    page: link.page,
    receive: (message: FromGpuPage) => {
      link.receive(message);
      if (message.type !== 'gone') return;
      if (gpu === opened) gpu = undefined;
      if (!window.isDestroyed()) window.destroy();
    },
  };
  gpu = opened;
  window.webContents.on('render-process-gone', (_event, details) =>
    opened.receive({ type: 'gone', message: `the GPU page stopped (${details.reason})` }),
  );
  void loadPage(window, 'gpu.html');
  return opened.page;
}

/** One of the app's bundled pages (electron-vite's dev server only while developing: a packaged app loads its own files, whatever the environment says). */
function loadPage(window: BrowserWindow, page: 'index.html' | 'gpu.html'): Promise<void> {
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) return window.loadURL(new URL(page, process.env.ELECTRON_RENDERER_URL).href);
  return window.loadFile(join(here, `../renderer/${page}`));
}

/** Only the app's own page in its own window may call main: not a frame inside it, nor anything it navigated to. */
function fromOurPage(
  event: IpcMainEvent | IpcMainInvokeEvent,
  window: BrowserWindow | undefined,
  page: 'index.html' | 'gpu.html',
): boolean {
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
    send: (message) => {
      if (window && !window.isDestroyed()) window.webContents.send(RUN_EVENT_CHANNEL, message);
    },
    workerUrl: new URL('./worker.js', import.meta.url),
    gpuPage,
  });
  // main's own calls (the zoom setting) go through the same handler table: one writer for settings.json
  const ownCalls = createLabApi(
    METHODS,
    (method, arg) => handlers.dispatch(method, arg),
    () => () => undefined,
  );
  const zoom = new WindowZoom(ownCalls, (factor) => {
    if (window && !window.isDestroyed()) window.webContents.setZoomFactor(factor);
  });
  const step = (direction: ZoomDirection) => keep(zoom.step(direction));
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenu({ packaged: app.isPackaged, platform: process.platform, zoom: step })));
  for (const method of METHODS) {
    ipcMain.handle(invokeChannel(method), (event, arg: unknown) =>
      fromOurPage(event, window, 'index.html') ? handlers.dispatch(method, arg) : { ok: false, error: "not from Minima Lab's own page" },
    );
  }
  ipcMain.on(GPU_FROM_PAGE_CHANNEL, (event, message: FromGpuPage) => {
    if (gpu && fromOurPage(event, gpu.window, 'gpu.html') && isGpuPageMessage(message)) gpu.receive(message);
  });
  window = createWindow(zoom);
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow(zoom);
  });
  app.on('before-quit', () => handlers.stopAll());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
