// Loads TensorFlow.js on the best backend that works here — TensorFlow on a CUDA GPU
// (tfjs-node-gpu), TensorFlow on the CPU (tfjs-node), wasm, then plain JavaScript (cpu) — and says
// which, and why each better one was skipped. tfjs-backend-wasm is never bundled: it loads its
// .wasm files from its own package folder.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type Tf = typeof import('@tensorflow/tfjs');
export type TfDevice = 'gpu' | 'node' | 'wasm' | 'cpu';

export interface TfRuntime {
  tf: Tf;
  device: TfDevice;
  /** e.g. "tfjs 4.22.0 wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)" */
  description: string;
}

const require = createRequire(import.meta.url);

/** Whether tfjs-node-gpu or tfjs-node is installed (found, not loaded: loading is the worker's job). */
export function nativeTensorflowInstalled(): boolean {
  return (['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const).some((pkg) => {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a native TensorFlow binding failed, in words a user can act on. */
export function explainNativeFailure(pkg: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if ((err as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && message.includes(pkg)) return 'not installed';
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return `built for another Node/Electron ABI (rebuild it for this runtime, e.g. with @electron/rebuild): ${message.split('\n')[0]}`;
  }
  if (/External buffers are not allowed|memory cage|sandbox/i.test(message)) {
    return "Electron's V8 memory cage rejects its external buffers (run training outside Electron, or use the wasm backend)";
  }
  if (/libcud|cudnn|libtensorflow/i.test(message)) return `its CUDA/TensorFlow libraries did not load: ${message.split('\n')[0]}`;
  return `failed to load: ${message.split('\n')[0]}`;
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node', skipped: string[]): Promise<Tf | null> {
  const name = pkg.replace('@tensorflow/', '');
  try {
    const tf = require(pkg) as Tf;
    await tf.setBackend('tensorflow');
    await tf.ready();
    return tf;
  } catch (err) {
    skipped.push(`${name}: ${explainNativeFailure(pkg, err)}`);
    return null;
  }
}

/** `only` forces one device (tests use wasm and cpu); otherwise the best that loads. */
export async function loadTf(only?: TfDevice): Promise<TfRuntime> {
  const skipped: string[] = [];
  const want = (d: TfDevice) => !only || only === d;
  let tf: Tf | null;
  let device: TfDevice = 'cpu';
  if (want('gpu') && (tf = await tryNative('@tensorflow/tfjs-node-gpu', skipped))) device = 'gpu';
  else if (want('node') && (tf = await tryNative('@tensorflow/tfjs-node', skipped))) device = 'node';
  else {
    tf = await import('@tensorflow/tfjs');
    if (want('wasm')) {
      try {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
        if (!(await tf.setBackend('wasm'))) throw new Error('setBackend refused it');
        device = 'wasm';
      } catch (err) {
        skipped.push(`wasm: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    }
    if (device !== 'wasm') {
      if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: no backend could be started');
      device = 'cpu';
    }
  }
  await tf.ready();
  tf.env().set('PROD', true); // production: no debug checks, and no console advice to install tfjs-node
  const backend = device === 'gpu' ? 'tensorflow on a CUDA GPU' : device === 'node' ? 'tensorflow on the CPU' : device;
  const description = `tfjs ${tf.version.tfjs} ${backend}${skipped.length ? ` (${skipped.join('; ')})` : ''}`;
  return { tf, device, description };
}
