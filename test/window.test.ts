// The window's menu, zoom and theme: View → Zoom In/Out/Actual Size step through Chromium's factors,
// View → Theme picks the system's, light or dark, and both are kept in settings.json (through the real
// handler table, on real files) for the next start; and the question main asks before a reload or close
// drops unsaved edits.
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions, MessageBoxSyncOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createLabApi, METHODS } from '../core/ipc/api.ts';
import type { AppTheme } from '../core/window/theme.ts';
import { zoomed, type ZoomDirection } from '../core/window/zoom.ts';
import { createHandlers } from '../electron/ipc/handlers.ts';
import { appMenu } from '../electron/window/menu.ts';
import { WindowTheme } from '../electron/window/theme.ts';
import { askBeforeDroppingEdits, type RefusedUnloads } from '../electron/window/unsaved.ts';
import { WindowZoom } from '../electron/window/zoom.ts';
import { handlerTable, RecordingClipboard, ScriptedDialogs } from './fakes.ts';
import { PRESETS } from './helpers.ts';

/** A WindowZoom and a WindowTheme over the handler table of `dataDir`, recording the factors and themes they set. */
function zoomOver(dataDir: string) {
  const table = createHandlers({
    dataDir,
    builtInPresets: PRESETS,
    dialogs: new ScriptedDialogs(),
    clipboard: new RecordingClipboard(),
    send: () => {},
  });
  const lab = createLabApi(
    METHODS,
    (method, arg) => table.dispatch(method, arg),
    () => () => undefined,
  );
  const applied: number[] = [];
  const themes: AppTheme[] = [];
  return {
    lab,
    applied,
    zoom: new WindowZoom(lab, (factor) => applied.push(factor)),
    themes,
    theme: new WindowTheme(lab, (theme) => themes.push(theme)),
  };
}

const settingsIn = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));

describe('zoom', () => {
  it("steps through Chromium's factors and stops at the ends", () => {
    expect([1, 1.1, 1.25].map((z) => zoomed(z, 'in'))).toEqual([1.1, 1.25, 1.5]);
    expect([1, 0.9].map((z) => zoomed(z, 'out'))).toEqual([0.9, 0.8]);
    expect(zoomed(1.3, 'in')).toBe(1.5); // a factor between steps goes to the next one
    expect(zoomed(1.3, 'out')).toBe(1.25);
    expect(zoomed(3, 'in')).toBe(3);
    expect(zoomed(0.67, 'out')).toBe(0.67);
    expect(zoomed(2.5, 'reset')).toBe(1);
  });

  it('is kept in settings.json beside the other settings, and the next start opens at it', async () => {
    const { dataDir, call } = handlerTable();
    await call('updateSettings', { redisUrl: 'redis://lab-server:6379' });
    const first = zoomOver(dataDir);
    for (const direction of ['in', 'in', 'in'] as ZoomDirection[]) await first.zoom.step(direction);
    expect(first.applied).toEqual([1.1, 1.25, 1.5]);
    expect(settingsIn(dataDir)).toEqual({ lastPresetId: null, redisUrl: 'redis://lab-server:6379', zoom: 1.5, appTheme: 'system' });

    const next = zoomOver(dataDir);
    await next.zoom.restore();
    expect(next.applied).toEqual([1.5]);
    await next.zoom.step('reset');
    expect(settingsIn(dataDir).zoom).toBe(1);
  });

  it('reads a zoom out of range in settings.json as 100 %, keeping the other settings', async () => {
    const { dataDir } = handlerTable();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lastPresetId: null, redisUrl: 'redis://lab-server:6379', zoom: 40 }));
    const { zoom, applied, lab } = zoomOver(dataDir);
    await zoom.restore();
    expect(applied).toEqual([1]);
    expect((await lab.getSettings()).redisUrl).toBe('redis://lab-server:6379');
    await expect(lab.updateSettings({ zoom: 40 })).rejects.toThrow(/zoom: .*3/);
  });
});

describe('theme', () => {
  it('follows the system until one is chosen; the choice is kept in settings.json and the next start applies it', async () => {
    const { dataDir } = handlerTable();
    const first = zoomOver(dataDir);
    expect(await first.theme.restore()).toBe('system');
    await first.zoom.step('in');
    await first.theme.choose('dark');
    expect(first.themes).toEqual(['system', 'dark']);
    expect(settingsIn(dataDir)).toMatchObject({ zoom: 1.1, appTheme: 'dark' });

    const next = zoomOver(dataDir);
    expect(await next.theme.restore()).toBe('dark');
    expect(next.themes).toEqual(['dark']);
    await next.theme.choose('system');
    expect(settingsIn(dataDir).appTheme).toBe('system');
  });

  it('reads a theme it does not know in settings.json as the system one, keeping the other settings', async () => {
    const { dataDir } = handlerTable();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lastPresetId: null, redisUrl: null, zoom: 1.25, appTheme: 'sepia' }));
    const { theme, themes, lab } = zoomOver(dataDir);
    expect(await theme.restore()).toBe('system');
    expect(themes).toEqual(['system']);
    expect((await lab.getSettings()).zoom).toBe(1.25);
    await expect(lab.updateSettings({ appTheme: 'sepia' as AppTheme })).rejects.toThrow(/appTheme/);
  });
});

describe('settings', () => {
  it('reads a change asked for just before, written or not: a window reloaded at once opens what was open', async () => {
    const { table } = handlerTable();
    const changes = ['builtin:seed-wide-cyclic', 'builtin:seed-narrow-sgd'].map((id) =>
      table.dispatch('updateSettings', { lastPresetId: id }),
    );
    const read = table.dispatch('getSettings', undefined); // not awaiting the changes, as a reload does not
    expect(await read).toMatchObject({ ok: true, value: { lastPresetId: 'builtin:seed-narrow-sgd' } });
    await Promise.all(changes);
  });
});

describe('application menu', () => {
  const items = (menu: MenuItemConstructorOptions[]) => menu.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? m.submenu : [])]);
  const view = (menu: MenuItemConstructorOptions[]) => menu.find((m) => m.label === 'View')!.submenu as MenuItemConstructorOptions[];
  const menuOptions = { packaged: true, platform: 'linux', zoom: () => {}, theme: 'system', chooseTheme: () => {} } as const;

  it('zooms from the View menu and its shortcuts, Ctrl+= and the keypad included', () => {
    const asked: ZoomDirection[] = [];
    const menu = appMenu({ ...menuOptions, zoom: (d) => asked.push(d) });
    const shown = view(menu).filter((m) => m.visible !== false);
    expect(shown.map((m) => m.label ?? m.role ?? m.type)).toEqual([
      'Zoom In',
      'Zoom Out',
      'Actual Size',
      'separator',
      'Theme',
      'togglefullscreen',
    ]);
    const byKey = new Map(view(menu).map((m) => [m.accelerator, m]));
    for (const key of [
      'CmdOrCtrl+Plus',
      'CmdOrCtrl+=',
      'CmdOrCtrl+numadd',
      'CmdOrCtrl+-',
      'CmdOrCtrl+numsub',
      'CmdOrCtrl+0',
      'CmdOrCtrl+num0',
    ])
      (byKey.get(key)!.click as () => void)();
    expect(asked).toEqual(['in', 'in', 'in', 'out', 'out', 'reset', 'reset']);
  });

  it('picks the theme from View → Theme, with the kept one ticked', () => {
    const chosen: AppTheme[] = [];
    const menu = appMenu({ ...menuOptions, theme: 'dark', chooseTheme: (t) => chosen.push(t) });
    const themes = view(menu).find((m) => m.label === 'Theme')!.submenu as MenuItemConstructorOptions[];
    expect(themes.map((m) => [m.label, m.type, m.checked])).toEqual([
      ['System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    for (const item of themes) (item.click as () => void)();
    expect(chosen).toEqual(['system', 'light', 'dark']);
  });

  it("has no reload, developer tools or Electron's help links in the packaged app; development keeps reload and the tools", () => {
    const roles = (packaged: boolean) => items(appMenu({ ...menuOptions, packaged })).map((m) => m.role);
    expect(roles(true)).not.toContain('reload');
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('help');
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(true)).toEqual(expect.arrayContaining(['quit', 'editMenu', 'windowMenu']));
    expect(items(appMenu({ ...menuOptions, platform: 'darwin' })).map((m) => m.role)).toEqual(expect.arrayContaining(['appMenu', 'close']));
  });
});

describe('unsaved edits', () => {
  /** The window's webContents as main sees it, its page refusing to unload; and the answers the user gives, in turn. */
  function windowAnswering(...answers: number[]) {
    const contents = new EventEmitter();
    const asked: MessageBoxSyncOptions[] = [];
    askBeforeDroppingEdits(contents as RefusedUnloads, (question) => {
      asked.push(question);
      return answers.shift()!;
    });
    /** The page refused to unload: whether the unload goes on after all. */
    const refuse = () => {
      let goesOn = false;
      contents.emit('will-prevent-unload', { preventDefault: () => (goesOn = true) });
      return goesOn;
    };
    return { asked, refuse };
  }

  it('asks natively before a reload or close drops them, and keeps them unless told to discard', () => {
    const { asked, refuse } = windowAnswering(1, 0);
    expect(refuse()).toBe(false); // "Keep editing": the page stays, the edits with it
    expect(refuse()).toBe(true); // "Discard": the reload or close goes on
    expect(asked).toHaveLength(2);
    const [question] = asked;
    expect(question.message).toBe('Discard unsaved edits?');
    expect(question.buttons).toEqual(['Discard', 'Keep editing']);
    // Enter and Escape both keep the edits: only a click on Discard drops them
    expect([question.defaultId, question.cancelId]).toEqual([1, 1]);
  });
});
