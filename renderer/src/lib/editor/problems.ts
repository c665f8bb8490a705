// Where the draft's problem is shown: at the field it names, or at a field that contains it
// (a list field shows the error of any of its items).
import { library } from '../state/library.svelte.ts';

export function problemAt(path: string): string | null {
  const p = library.problem;
  if (!p) return null;
  return p.path === path || p.path.startsWith(`${path}[`) ? p.message : null;
}
