// The preset library and the draft being edited: opening, saving, renaming, duplicating, deleting,
// importing and exporting presets; the draft's unparsed input and its problems; the JSON view; and
// the preset the settings remember as open.
import type { PresetEntry } from '../../../../core/ipc/contract.ts';
import { parsePreset, PresetError } from '../../../../core/preset/parse.ts';
import type { Preset } from '../../../../core/preset/preset.ts';
import { page } from './page.svelte.ts';
import { runHistory } from './run-history.svelte.ts';

/** The preset a first launch opens: the seed experiment. */
export const FIRST_PRESET = 'builtin:seed-narrow-vs-wide';

/** A problem with the draft, at a field path ('' for the preset as a whole). */
export interface Problem {
  path: string;
  message: string;
}

/** The draft's problems, as the preset loader finds them: all of the schema's at once, the first its error names. */
function validate(draft: Preset): Problem[] {
  try {
    parsePreset(draft, 'preset');
    return [];
  } catch (err) {
    return err instanceof PresetError
      ? err.problems.map(({ path, problem }) => ({ path, message: problem }))
      : [{ path: '', message: String(err) }];
  }
}

class Library {
  presets = $state<PresetEntry[]>([]);
  /** The library entry the draft came from (null for a new, never saved preset). */
  selectedId = $state<string | null>(null);
  draft = $state<Preset | null>(null);
  savedJson = $state('');
  /** Text the user typed that is not a value yet (e.g. "16x" as hidden widths), by field path. */
  inputErrors = $state<Record<string, string>>({});
  /** The draft as JSON text while the editor shows it so (null: the form); the user's text, parsed or not. */
  jsonText = $state<string | null>(null);
  /** The name of the open preset when it was deleted from the library (its values stay in the editor). */
  orphaned = $state<string | null>(null);
  /** Library changes in flight: their buttons wait. */
  busy = $state(0);

  selected = $derived(this.presets.find((p) => p.id === this.selectedId) ?? null);
  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.savedJson);
  /**
   * Every problem of the draft: the input that is not a value yet first, then what the schema says of the
   * other fields (a field whose text is not a value yet still holds its last value: the schema's word on
   * that is not news).
   */
  problems = $derived.by((): Problem[] => {
    if (!this.draft) return [];
    const typed = Object.entries(this.inputErrors).map(([path, message]) => ({ path, message }));
    const beside = (path: string) => typed.some((t) => path === t.path || path.startsWith(`${t.path}[`));
    if ('' in this.inputErrors) return typed; // the JSON does not parse: nothing else to say
    return [...typed, ...validate($state.snapshot(this.draft) as Preset).filter((p) => !beside(p.path))];
  });
  /** The draft's first problem (what Start and Save say they wait for). */
  problem = $derived<Problem | null>(this.problems[0] ?? null);

  /** Lists the presets, and the runs with them. */
  async refresh(): Promise<void> {
    [this.presets, runHistory.runs] = await Promise.all([window.lab.listPresets(), window.lab.listRuns()]);
  }

  /** Opens the preset open last time, else the seed experiment, else the first that loads. */
  openFirst(lastPresetId: string | null): void {
    const valid = this.presets.filter((p) => p.preset);
    const open = valid.find((p) => p.id === lastPresetId) ?? valid.find((p) => p.id === FIRST_PRESET) ?? valid[0];
    if (open) this.load(open);
  }

  /** A library change: its buttons wait while it is in flight. */
  private async mutate<T>(action: () => Promise<T>, done?: string): Promise<{ value: T } | 'failed'> {
    this.busy++;
    try {
      return await page.attempt(action, done);
    } finally {
      this.busy--;
    }
  }

  /** Shows the draft as JSON, or the form again (text a form field could not read is gone with the field). */
  toggleJson(): void {
    this.inputErrors = {};
    this.jsonText = this.jsonText === null ? JSON.stringify(this.draft, null, 2) : null;
  }

  /** The JSON text as typed: the draft when it parses, the draft's problem when it does not. */
  editJson(text: string): void {
    this.jsonText = text;
    try {
      this.draft = JSON.parse(text) as Preset;
      this.setInputError('', null);
    } catch (err) {
      this.setInputError('', `the JSON does not parse: ${(err as Error).message}`);
    }
  }

  /** Records (or, with null, clears) input at `path` that is not a value yet. */
  setInputError(path: string, message: string | null): void {
    const { [path]: _, ...rest } = this.inputErrors;
    this.inputErrors = message === null ? rest : { ...rest, [path]: message };
  }

  /** Runs `action` now, or after the user agrees to discard the draft's unsaved changes. */
  private unlessDirty(action: () => void): void {
    if (!this.dirty) return action();
    page.confirmation = {
      title: `Discard the unsaved changes to “${this.draft?.name}”?`,
      confirm: 'Discard',
      cancel: 'Keep editing',
      action,
    };
  }

  open(entry: PresetEntry): void {
    if (entry.id !== this.selectedId) this.unlessDirty(() => this.load(entry));
  }

  private edit(id: string | null, preset: Preset, saved: boolean): void {
    this.selectedId = id;
    this.orphaned = null;
    this.draft = $state.snapshot(preset) as Preset; // a copy: the library entry stays as loaded
    this.savedJson = saved ? JSON.stringify(this.draft) : '';
    this.inputErrors = {};
    if (this.jsonText !== null) this.jsonText = JSON.stringify(this.draft, null, 2);
    page.screen = 'editor';
  }

  private load(entry: PresetEntry): void {
    if (!entry.preset) return;
    this.edit(entry.id, entry.preset, true);
    void page.attempt(() => window.lab.updateSettings({ lastPresetId: entry.id }));
  }

  newPreset(): void {
    const first = this.presets.find((p) => p.preset)?.preset;
    if (first) this.unlessDirty(() => this.edit(null, { ...first, name: 'New preset', description: '' }, false));
  }

  /** The draft as plain data, to send or run (the draft itself is a reactive proxy). */
  snapshot(): Preset {
    return $state.snapshot(this.draft!) as Preset;
  }

  /** Save over the selected user preset; built-in and new presets go through saveAs. */
  async save(): Promise<void> {
    if (!this.draft || !this.selected || this.selected.builtIn) return;
    const id = this.selected.id;
    const saved = await this.mutate(() => window.lab.savePreset({ preset: this.snapshot(), id }), 'Saved.');
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async saveAs(name: string): Promise<void> {
    if (!this.draft) return;
    const saved = await this.mutate(() => window.lab.savePreset({ preset: { ...this.snapshot(), name } }), `Saved as “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async rename(name: string): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    const saved = await this.mutate(() => window.lab.renamePreset({ id, name }), `Renamed to “${name}”.`);
    if (saved !== 'failed') await this.afterSave(saved.value);
  }

  async duplicate(entry: PresetEntry): Promise<void> {
    const saved = await this.mutate(() => window.lab.duplicatePreset({ id: entry.id }), 'Duplicated.');
    if (saved !== 'failed') await this.afterSave(saved.value, true);
  }

  /** Asks, then deletes a user preset; the editor keeps an open one's values and says it was deleted. */
  remove(entry: PresetEntry): void {
    page.confirmation = {
      title: `Delete the preset “${entry.title}”?`,
      detail: `Its file ${entry.file.split(/[\\/]/).pop()} is removed from your presets. Runs made from it stay in the history.`,
      confirm: 'Delete',
      cancel: 'Keep it',
      action: () => void this.deleteNow(entry),
    };
  }

  private async deleteNow(entry: PresetEntry): Promise<void> {
    if ((await this.mutate(() => window.lab.deletePreset({ id: entry.id }), `Deleted “${entry.title}”.`)) === 'failed') return;
    if (this.selectedId === entry.id) {
      this.selectedId = null;
      this.savedJson = ''; // what is on screen is no longer saved anywhere
      this.orphaned = entry.title;
    }
    await this.refresh();
  }

  async importPreset(): Promise<void> {
    const imported = await this.mutate(() => window.lab.importPreset());
    if (imported === 'failed' || !imported.value) return;
    page.say('info', `Imported “${imported.value.title}”.`);
    await this.afterSave(imported.value, true);
  }

  async exportPreset(): Promise<void> {
    if (!this.draft) return;
    const preset = this.snapshot();
    const file = await page.attempt(() => window.lab.exportPreset({ preset, suggestedName: `${preset.name}.json` }));
    if (file !== 'failed' && file.value) page.say('info', `Exported to ${file.value}`);
  }

  /** The draft as a standalone PyTorch script (main writes it as `lab export torch` does): to the clipboard, or a file. */
  async exportTorchScript(to: 'file' | 'clipboard'): Promise<void> {
    if (!this.draft) return;
    const preset = this.snapshot();
    const done = await page.attempt(() => window.lab.exportTorchScript({ preset, to }));
    if (done === 'failed' || !done.value) return;
    page.say('info', done.value === 'clipboard' ? 'PyTorch script copied to the clipboard.' : `PyTorch script saved to ${done.value}`);
  }

  /** Shows a preset just written: the saved draft itself, or (import, duplicate) another one, which must not silently replace unsaved edits. */
  private async afterSave(entry: PresetEntry, replacesDraft = false): Promise<void> {
    await this.refresh();
    const show = () => this.load(this.presets.find((p) => p.id === entry.id) ?? entry);
    if (replacesDraft) this.unlessDirty(show);
    else show();
  }
}

export const library = new Library();
