// The GPU page: a window the app never shows, whose Chromium owns the GPU. The training worker's WebGPU
// groups are trained here (through main), because Electron's main process cannot hold Dawn's buffers:
// the `webgpu` package maps them as external ArrayBuffers, which Electron's V8 memory cage refuses.
import { describeAdapter, kernelLimits } from '../../../core/gpu/adapter.ts';
import { serveGpu, type GpuPageLink } from '../../../core/gpu/remote.ts';

declare global {
  interface Window {
    gpuLink: GpuPageLink;
  }
}

async function start(link: GpuPageLink): Promise<void> {
  if (!navigator.gpu) return link.post({ type: 'unavailable', message: 'this Chromium has no WebGPU (navigator.gpu is missing)' });
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return link.post({ type: 'unavailable', message: 'no WebGPU adapter: no GPU driver with Vulkan, Metal or Direct3D 12' });
  const device = await adapter.requestDevice({ requiredLimits: kernelLimits(adapter) });
  void device.lost.then((info) =>
    link.post({ type: 'gone', message: `the GPU device was lost (${info.reason ?? 'unknown'}: ${info.message})` }),
  );
  link.onMessage(serveGpu(device, (message) => link.post(message)));
  link.post({ type: 'ready', ...describeAdapter(adapter) });
}

start(window.gpuLink).catch((err: unknown) =>
  window.gpuLink.post({ type: 'unavailable', message: `WebGPU failed to start: ${err instanceof Error ? err.message : String(err)}` }),
);
