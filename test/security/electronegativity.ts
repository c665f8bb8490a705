// `npm run audit:electron`: Electronegativity over the main process's sources and the built app (out/).
// Every finding above LOW must be explained in docs/security.md (its check's name under "Electronegativity
// findings"); anything else fails the script.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Rows of CSV, quoted fields (with commas, quotes and line breaks inside) kept whole. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      rows[rows.length - 1].push(field.trim());
      field = '';
      if (c === '\n') rows.push([]);
    } else field += c;
  }
  rows[rows.length - 1].push(field.trim());
  return rows.filter((r) => r.length > 1);
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const explained = readFileSync(join(root, 'docs/security.md'), 'utf8');
const section = explained.slice(explained.indexOf('## Electronegativity findings'));
const unexplained: string[] = [];
for (const input of ['electron', 'out']) {
  const csv = join(mkdtempSync(join(tmpdir(), 'electronegativity-')), 'findings.csv');
  // -e: the Electron version in package.json (the tool would otherwise look releases up online)
  const electron = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version as string;
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      '-i',
      join(root, input),
      '-o',
      csv,
      '-r',
      '-v',
      'false',
      '-e',
      electron,
    ],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`electronegativity failed on ${input}/: ${run.stderr}`);
  const rows = parseCsv(readFileSync(csv, 'utf8')).slice(1);
  for (const [check, severity, confidence, file, location] of rows) {
    const line = `${input}/${file}:${location} ${check} (${severity}, ${confidence})`;
    process.stdout.write(`${line}\n`);
    if (severity !== 'LOW' && severity !== 'INFORMATIONAL' && !section.includes(`\`${check}\``)) unexplained.push(line);
  }
}
if (unexplained.length) {
  process.stderr.write(`findings above LOW not explained in docs/security.md:\n${unexplained.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write('every finding above LOW is explained in docs/security.md\n');
