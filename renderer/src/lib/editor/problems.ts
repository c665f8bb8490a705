// Where the draft's problems are shown: each at the field it names, or at a field that contains it
// (a list field shows the errors of any of its items).
import { library } from '../state/library.svelte.ts';

/** The messages of the draft's problems at a field or inside it (none: an empty list). */
export function problemsAt(path: string): string[] {
  return library.problems.filter((p) => p.path === path || p.path.startsWith(`${path}[`)).map((p) => p.message);
}

/**
 * Focuses the form's field for a problem's path: the field itself, else the nearest field that contains
 * it ("groups[0].hidden[1]" is in the hidden widths' field); nothing when the form has none (the JSON view).
 */
export function focusField(path: string): void {
  let at = path;
  while (at) {
    const field = document.querySelector(`[data-field-path="${CSS.escape(at)}"]`);
    const input = field?.querySelector<HTMLElement>('input, select, textarea');
    if (input) {
      input.focus();
      input.scrollIntoView({ block: 'center' });
      return;
    }
    const container = at.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    at = container === at ? '' : container;
  }
}
