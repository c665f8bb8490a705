// Loaded with `node --import` into a CLI run the bench starts: reports the process's peak resident memory
// (training workers are threads, so it covers them) on stderr as it exits. Plain JavaScript: the workers
// inherit the flag, and load it before any TypeScript loader.
import { resourceUsage } from 'node:process';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) process.on('exit', () => process.stderr.write(`\npeak-rss-kib ${resourceUsage().maxRSS}\n`));
