// A WebGPU device in plain Node, from the `webgpu` package (Dawn). Without a GPU driver, Vulkan runs on
// SwiftShader, the CPU Vulkan driver Debian's chromium package ships; Dawn finds it through the Vulkan
// loader (Debian's libvulkan1) when VK_ICD_FILENAMES names its manifest.
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { Backend } from '../../../core/results/events.ts';
import { describeAdapter, kernelLimits, type AdapterSummary } from '../../../core/gpu/adapter.ts';
import { trainerOn, type GpuTrainer } from '../../../core/gpu/trainer.ts';
import type { Preset } from '../../../core/preset/preset.ts';
import { webgpuWorthTrying, type GpuAdapterKind } from '../backends.ts';

/** Where Debian's chromium package puts SwiftShader's Vulkan manifest. */
const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json'];
const VULKAN_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
];

export interface NodeGpu extends AdapterSummary {
  device: GPUDevice;
  /** trainOnGpu on this device. */
  train: GpuTrainer;
}

/** Dawn's instances and adapters: a device whose GPU object is garbage-collected crashes the process. */
const alive: unknown[] = [];

const MISSING =
  'WebGPU needs a Vulkan driver: on Debian, the Vulkan loader (apt-get install libvulkan1) and either a GPU driver or chromium (apt-get install chromium, whose SwiftShader runs Vulkan on the CPU)';

/** The Vulkan drivers' manifests the loader would find by itself, less Mesa's lavapipe, which Dawn refuses. */
function installedDrivers(): string[] {
  return ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d'].flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json') && !f.startsWith('lvp_'))
          .map((f) => join(dir, f))
      : [],
  );
}

/**
 * Without a desktop session (a server, a terminal over ssh, a batch job), Vulkan drivers still ask
 * libwayland for a display as they load, and it prints "XDG_RUNTIME_DIR is invalid or not set in the
 * environment." to stderr for each, before `lab`'s own first line. Given a runtime folder that holds no
 * Wayland socket (one that need not exist), it finds none without a word. A session's own settings are
 * left as they are.
 */
function quietWithoutWayland(): void {
  if (process.platform === 'linux' && !process.env.XDG_RUNTIME_DIR && !process.env.WAYLAND_DISPLAY && !process.env.WAYLAND_SOCKET) {
    process.env.XDG_RUNTIME_DIR = join(tmpdir(), 'minima-lab-no-wayland');
  }
}

/**
 * Points the Vulkan loader at the installed drivers and SwiftShader (a real GPU's driver wins the adapter
 * choice), or at SwiftShader alone. The loader reads VK_ICD_FILENAMES from the process's environment, which
 * a worker thread's process.env does not change: call this on the main thread before workers open devices.
 * Where VK_ICD_FILENAMES is already set, it decides.
 */
export function chooseVulkanDrivers(swiftshaderOnly: boolean): void {
  quietWithoutWayland();
  const icd = SWIFTSHADER_ICDS.find((p) => existsSync(p));
  if (swiftshaderOnly) {
    if (!icd) throw new Error(`${MISSING}: SwiftShader's ${SWIFTSHADER_ICDS[0]} not found`);
    process.env.VK_ICD_FILENAMES = icd;
  } else if (process.platform === 'linux' && !process.env.VK_ICD_FILENAMES) {
    process.env.VK_ICD_FILENAMES = [...installedDrivers(), ...(icd ? [icd] : [])].join(':');
  }
}

/** Opens a device on the best adapter; `swiftshader` true: on SwiftShader whatever else is installed (tests). */
export async function openNodeGpu(swiftshader = false): Promise<NodeGpu> {
  if (process.platform === 'linux' && !VULKAN_LOADERS.some((p) => existsSync(p))) throw new Error(`${MISSING}: libvulkan.so.1 not found`);
  if (isMainThread) chooseVulkanDrivers(swiftshader);
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (err) {
    throw new Error(`WebGPU needs the webgpu package (npm install): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const gpu = webgpu.create([]);
  alive.push(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`${MISSING}: no WebGPU adapter found`);
  alive.push(adapter);
  const device = await adapter.requestDevice({ requiredLimits: kernelLimits(adapter) });
  return { device, train: trainerOn(device), ...describeAdapter(adapter) };
}

/** For `auto`: the adapter there is, looked for only where a group could use it (opening one takes a second). */
export async function gpuForAuto(backend: Backend, preset: Preset): Promise<GpuAdapterKind> {
  if (backend !== 'auto' || !webgpuWorthTrying(preset)) return 'none';
  try {
    const gpu = await openNodeGpu();
    gpu.device.destroy();
    return gpu.fallback ? 'fallback' : 'real';
  } catch {
    return 'none'; // no driver: `auto` picks a CPU backend, as it would without the webgpu package
  }
}
