// Exposes window.lab — the contract's methods and the run event subscription — and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createLabApi, invokeChannel, METHODS, RUN_EVENT_CHANNEL, type Envelope, type Method } from '../core/ipc/api.ts';
import type { RunMessage } from '../core/ipc/contract.ts';

contextBridge.exposeInMainWorld(
  'lab',
  createLabApi(
    METHODS,
    (method, arg) => ipcRenderer.invoke(invokeChannel(method as Method), arg) as Promise<Envelope<unknown>>,
    (listener) => {
      const handler = (_event: IpcRendererEvent, message: RunMessage) => listener(message);
      ipcRenderer.on(RUN_EVENT_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(RUN_EVENT_CHANNEL, handler);
      };
    },
  ),
);
