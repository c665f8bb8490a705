// What a WebGPU adapter is, in words, and the device limits the kernel asks of it: shared by Dawn in Node
// and Chromium's own WebGPU in the app's GPU page.

export interface AdapterSummary {
  /** The adapter in words, e.g. "nvidia ampere (NVIDIA H100)" or "google swiftshader (SwiftShader driver 5.0.0)". */
  adapter: string;
  /** A software adapter (SwiftShader, llvmpipe): correct, but no faster than the CPU kernels. */
  fallback: boolean;
}

export function describeAdapter(adapter: GPUAdapter): AdapterSummary {
  const { vendor, architecture, description } = adapter.info;
  const fallback =
    architecture === 'swiftshader' ||
    /swiftshader|llvmpipe/i.test(description) ||
    Boolean((adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { adapter: [vendor, architecture].filter(Boolean).join(' ') + (description ? ` (${description})` : ''), fallback };
}

/** The kernel binds eight storage buffers, and a big group's buffers may be as large as the adapter allows. */
export function kernelLimits(adapter: GPUAdapter): Record<string, number> {
  return {
    maxStorageBuffersPerShaderStage: 8,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}
