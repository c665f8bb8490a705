// Types of build/build-wasm.mjs, for the test that rebuilds the kernel.
export const MODULE: string;
export function compileKernel(): Promise<Uint8Array>;
export function moduleSource(binary: Uint8Array): string;
