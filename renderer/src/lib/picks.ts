/**
 * The cells picked after a click on one: it alone (a second click on it alone clears it), or, adding
 * (Shift, Ctrl or ⌘), it added to or taken from those picked.
 */
export function picked(selected: string[], group: string, adding: boolean): string[] {
  if (adding) return selected.includes(group) ? selected.filter((g) => g !== group) : [...selected, group];
  return selected.length === 1 && selected[0] === group ? [] : [group];
}
