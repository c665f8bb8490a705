// `npm run bench:webgpu:pack`: the WebGPU bench as one self-contained folder for a Linux x86-64 machine
// with a GPU and nothing installed but its driver and the Vulkan loader (no Node, no npm, no registry):
// this machine's node binary, an esbuild bundle of test/bench/webgpu.ts, the `webgpu` package's Dawn
// binary, a run script and a README; packed as dist/minima-lab-webgpu-bench-linux-x64.tar.xz (≈ 28 MB).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NAME = 'minima-lab-webgpu-bench-linux-x64';
const dist = `${root}dist/`;
const folder = `${dist}${NAME}/`;
const webgpu = `${root}node_modules/webgpu/`;

if (process.platform !== 'linux' || process.arch !== 'x64')
  throw new Error('the portable bench is packed on Linux x86-64 (it carries this machine’s node binary)');
rmSync(folder, { recursive: true, force: true });
mkdirSync(`${folder}node_modules/webgpu/dist/linux-x64`, { recursive: true });

await build({
  entryPoints: [`${root}test/bench/webgpu.ts`],
  outfile: `${folder}bench.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'], // loads its native binary from beside itself
  // bundled CommonJS (zod's locales, none here today) may call require: give it one
  banner: { js: "import { createRequire as minimaRequire } from 'node:module'; const require = minimaRequire(import.meta.url);" },
  logLevel: 'warning',
});
for (const file of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(`${webgpu}${file}`, `${folder}node_modules/webgpu/${file}`);
copyFileSync(`${webgpu}dist/linux-x64/dawn.node`, `${folder}node_modules/webgpu/dist/linux-x64/dawn.node`);
copyFileSync(process.execPath, `${folder}node`);
chmodSync(`${folder}node`, 0o755);

writeFileSync(
  `${folder}run.sh`,
  `#!/bin/sh
# Runs the WebGPU bench with the node binary beside this script; the figures go to stdout and to webgpu-bench.md.
cd "$(dirname "$0")" && exec ./node bench.mjs --out webgpu-bench.md "$@"
`,
);
chmodSync(`${folder}run.sh`, 0o755);
writeFileSync(
  `${folder}README.md`,
  `# Minima Lab's WebGPU bench, portable

Model-steps per second of Minima Lab's WGSL kernel (one GPU thread per 1→H→1 network) at 100 to 1M models
(1k, 10k and 100k on SwiftShader), against the fused CPU kernel on one core of the same machine, for the
seed's narrow and wide networks, and the M from which \`auto\` should pick it (WEBGPU_AUTO_MIN_MODELS).
Built by \`npm run bench:webgpu:pack\` from Minima Lab's repository (Node ${process.version}).

Needs: Linux x86-64, a GPU driver with Vulkan (NVIDIA's driver ships its ICD), and the Vulkan loader
(\`libvulkan.so.1\`: Debian/Ubuntu \`libvulkan1\`, RHEL \`vulkan-loader\`). Nothing else: Node and Dawn are here.

    ./run.sh                 # prints the table, writes webgpu-bench.md
    ./run.sh --swiftshader   # the CPU's Vulkan driver instead (needs Chromium's SwiftShader): a check, not a figure

The adapter's name is in the output: if it says SwiftShader or llvmpipe, Vulkan did not find the GPU's
driver (check \`vulkaninfo --summary\`, or point VK_ICD_FILENAMES at the driver's ICD json, e.g.
/usr/share/vulkan/icd.d/nvidia_icd.json). Paste webgpu-bench.md into docs/benchmarks.md of the repository.
`,
);

mkdirSync(dist, { recursive: true });
const archive = `${dist}${NAME}.tar.xz`;
execFileSync('tar', ['-cJf', archive, '-C', dist, NAME], { env: { ...process.env, XZ_OPT: '-9 -T0' } });
process.stderr.write(`wrote ${archive} (${(statSync(archive).size / 2 ** 20).toFixed(1)} MiB) from ${folder}\n`);
