// The Electron main process: the app's window (and a hidden page that owns the GPU, window/gpu-page.ts), the
// IPC handler table, the menu. Everything else — training, storage, validation — is plain Node in engine/,
// storage/ and ipc/.
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, Menu, nativeTheme, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP } from '../core/window/csp.ts';
import type { FromGpuPage } from '../core/gpu/remote.ts';
import { createLabApi, GPU_FROM_PAGE_CHANNEL, invokeChannel, METHODS, RUN_EVENT_CHANNEL } from '../core/ipc/api.ts';
import { WINDOW_BACKGROUNDS, type AppTheme } from '../core/window/theme.ts';
import type { ZoomDirection } from '../core/window/zoom.ts';
import { createHandlers } from './ipc/handlers.ts';
import { dialogsFor } from './window/dialogs.ts';
import { GpuPageWindow } from './window/gpu-page.ts';
import { appMenu } from './window/menu.ts';
import { fromOurPage, loadPage, lockDown } from './window/pages.ts';
import { WindowTheme } from './window/theme.ts';
import { askBeforeDroppingEdits } from './window/unsaved.ts';
import { WindowZoom } from './window/zoom.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

function createWindow(zoom: WindowZoom, stepZoom: (direction: ZoomDirection) => void, gpu: GpuPageWindow): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'Minima Lab',
    backgroundColor: WINDOW_BACKGROUNDS[nativeTheme.shouldUseDarkColors ? 'dark' : 'light'],
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
  window.webContents.on('zoom-changed', (_event, direction) => stepZoom(direction)); // Ctrl + mouse wheel
  lockDown(window);
  askBeforeDroppingEdits(window.webContents, (question) => dialog.showMessageBoxSync(window, question));
  void loadPage(window, 'index.html', here);
  // the app ends with its window: the GPU page goes too, so the app quits (and, on macOS, reopens on activate)
  window.on('closed', () => gpu.close());
  return window;
}

/** A zoom or theme that cannot be read or kept still leaves the window usable: say so in the log only. */
function keep(setting: Promise<unknown>): void {
  setting.catch((err: unknown) => console.error('Minima Lab: the zoom or theme setting could not be read or kept:', err));
}

// Chromium ships WebGPU behind this switch on Linux (on by default elsewhere): the GPU page needs it.
if (process.platform === 'linux') app.commandLine.appendSwitch('enable-unsafe-webgpu');

// One Minima Lab at a time: two would share the data folder (and each take the other's runs for crashed ones).
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // no permission (camera, notifications, clipboard reads…) is granted, or even reported as grantable
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  let window: BrowserWindow | undefined;
  const gpu = new GpuPageWindow(here);
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
    landscapeWorkerUrl: new URL('./landscape-worker.js', import.meta.url),
    gpuPage: () => gpu.page(),
  });
  // main's own calls (the zoom and theme settings) go through the same handler table: one writer for settings.json
  const ownCalls = createLabApi(
    METHODS,
    (method, arg) => handlers.dispatch(method, arg),
    () => () => undefined,
  );
  const zoom = new WindowZoom(ownCalls, (factor) => {
    if (window && !window.isDestroyed()) window.webContents.setZoomFactor(factor);
  });
  const step = (direction: ZoomDirection) => keep(zoom.step(direction));
  const theme = new WindowTheme(ownCalls, (source) => (nativeTheme.themeSource = source));
  // applied before the window is made: it opens in the kept theme, and its background matches
  const kept: AppTheme = await theme.restore().catch((err: unknown) => {
    console.error('Minima Lab: the theme setting could not be read:', err);
    return 'system' as const;
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenu({ packaged: app.isPackaged, platform: process.platform, zoom: step, theme: kept, chooseTheme: (t) => keep(theme.choose(t)) }),
    ),
  );
  for (const method of METHODS) {
    ipcMain.handle(invokeChannel(method), (event, arg: unknown) =>
      fromOurPage(event, window, 'index.html') ? handlers.dispatch(method, arg) : { ok: false, error: "not from Minima Lab's own page" },
    );
  }
  ipcMain.on(GPU_FROM_PAGE_CHANNEL, (event, message: FromGpuPage) => gpu.receive(event, message));
  window = createWindow(zoom, step, gpu);
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow(zoom, step, gpu);
  });
  // once the windows have closed: a quit the user cancels (to keep unsaved edits) stops no run
  app.on('will-quit', () => handlers.stopAll());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
