// `npm run audit:electron`: Electronegativity over the main process's sources and the built app (out/).
// Every finding above LOW must be explained in docs/security.md (its check's name under "Electronegativity
// findings"); anything else fails the script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A finding as Electronegativity's runner returns it. */
interface Finding {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location: { line: number; column: number };
}
// its runner, called as a library: the CLI's CSV writes its header and its rows with two racing async
// writes, so its first row came back garbled now and then
const run = createRequire(import.meta.url)('@doyensec/electronegativity/dist/runner.js') as (
  options: object,
) => Promise<{ issues: Finding[] }>;

const root = fileURLToPath(new URL('../../', import.meta.url));
const explained = readFileSync(join(root, 'docs/security.md'), 'utf8');
const section = explained.slice(explained.indexOf('## Electronegativity findings'));
// the Electron version in package.json (the tool would otherwise look releases up online)
const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version as string;
const unexplained: string[] = [];
for (const input of ['electron', 'out']) {
  const { issues } = await run({
    input: join(root, input),
    isRelative: true,
    electronVersionOverride: electron,
    // it asks GitHub for Electron's release notes, which neither CI nor this project's machines can reach
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  });
  for (const { id, severity, confidence, file, location } of issues) {
    const line = `${input}/${file}:${location.line}:${location.column} ${id} (${severity.name}, ${confidence.name})`;
    process.stdout.write(`${line}\n`);
    if (severity.name !== 'LOW' && severity.name !== 'INFORMATIONAL' && !section.includes(`\`${id}\``)) unexplained.push(line);
  }
}
if (unexplained.length) {
  process.stderr.write(`findings above LOW not explained in docs/security.md:\n${unexplained.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('every finding above LOW is explained in docs/security.md\n');
