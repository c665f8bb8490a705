// The hidden GPU page, opened when a run first needs it: the webgpu backend's groups train in its Chromium
// (core/gpu/remote.ts), since Electron's memory cage refuses the external buffers Dawn's Node binding maps
// in main. A page that crashes or loses its device says so to the runs using it, and the next run opens a
// new one.
import { BrowserWindow, type IpcMainEvent } from 'electron';
import { join } from 'node:path';
import { gpuPageOver, isGpuPageMessage, type FromGpuPage, type GpuPage } from '../../core/gpu/remote.ts';
import { GPU_TO_PAGE_CHANNEL } from '../../core/ipc/api.ts';
import { fromOurPage, loadPage, lockDown } from './pages.ts';

interface OpenPage {
  window: BrowserWindow;
  page: GpuPage;
  receive: (message: FromGpuPage) => void;
}

export class GpuPageWindow {
  private open: OpenPage | undefined;

  /** `mainDir`: the folder of main's bundle, beside which the preloads and pages are built. */
  constructor(private readonly mainDir: string) {}

  /** The open page, or a new one. */
  page(): GpuPage {
    if (this.open && !this.open.window.isDestroyed()) return this.open.page;
    const window = new BrowserWindow({
      show: false,
      webPreferences: {
        preload: join(this.mainDir, '../preload/gpu.cjs'),
        contextIsolation: true,
        nodeIntegration: false,
        sandbox: true,
        disableBlinkFeatures: 'Auxclick', // as the app's window: a middle click opens no window
        backgroundThrottling: false, // never shown: its work must not be slowed as a hidden page's would
      },
    });
    lockDown(window);
    const link = gpuPageOver((message) => {
      if (!window.isDestroyed()) window.webContents.send(GPU_TO_PAGE_CHANNEL, message);
    });
    const opened: OpenPage = {
      window,
      page: link.page,
      receive: (message) => {
        link.receive(message);
        if (message.type !== 'gone') return;
        if (this.open === opened) this.open = undefined;
        if (!window.isDestroyed()) window.destroy();
      },
    };
    this.open = opened;
    window.webContents.on('render-process-gone', (_event, details) =>
      opened.receive({ type: 'gone', message: `the GPU page stopped (${details.reason})` }),
    );
    void loadPage(window, 'gpu.html', this.mainDir);
    return opened.page;
  }

  /** A message on the GPU channel: taken only from the open GPU page's own frame. */
  receive(event: IpcMainEvent, message: FromGpuPage): void {
    if (this.open && fromOurPage(event, this.open.window, 'gpu.html') && isGpuPageMessage(message)) this.open.receive(message);
  }

  /** The app's window closed: the GPU page goes too, so the app quits. */
  close(): void {
    this.open?.window.destroy();
  }
}
