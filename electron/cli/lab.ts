#!/usr/bin/env node
// The `lab` executable: the command line in, the exit code out. Bundled (out/lab/lab.mjs), the training worker is beside it.
import { main, processIO } from './main.ts';
const workerUrl = import.meta.url.endsWith('.mjs') ? new URL('./worker.mjs', import.meta.url) : undefined;
process.exit(await main(process.argv.slice(2), { ...processIO, workerUrl }));
