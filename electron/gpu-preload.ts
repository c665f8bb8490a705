// Exposes window.gpuLink to the hidden GPU page, and nothing else: its messages to main, and main's to it.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { GPU_FROM_PAGE_CHANNEL, GPU_TO_PAGE_CHANNEL } from '../core/ipc/api.ts';
import type { GpuPageLink } from '../core/gpu/remote.ts';

const link: GpuPageLink = {
  post: (message) => ipcRenderer.send(GPU_FROM_PAGE_CHANNEL, message),
  onMessage: (listener) => {
    ipcRenderer.on(GPU_TO_PAGE_CHANNEL, (_event: IpcRendererEvent, message: Parameters<typeof listener>[0]) => listener(message));
  },
};
contextBridge.exposeInMainWorld('gpuLink', link);
