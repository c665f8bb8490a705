// Loaded with `node --import` into a CLI run the bench starts: reports the process's peak resident memory
// (training workers are threads, so it covers them) on stderr as it exits.
import { resourceUsage } from 'node:process';

process.on('exit', () => process.stderr.write(`\npeak-rss-kib ${resourceUsage().maxRSS}\n`));
