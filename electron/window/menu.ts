// The application menu: what a desktop tool has (Edit for the fields, View for zoom, theme and full screen) and
// none of Electron's default entries that do not belong in Minima Lab (its Help links; reload and
// developer tools outside development).
import type { MenuItemConstructorOptions } from 'electron';
import { APP_THEME_LABELS, APP_THEMES, type AppTheme } from '../../core/window/theme.ts';
import type { ZoomDirection } from '../../core/window/zoom.ts';

export interface MenuOptions {
  /** A packaged app: no reload, no developer tools. */
  packaged: boolean;
  platform: NodeJS.Platform;
  zoom(direction: ZoomDirection): void;
  /** The theme ticked in View → Theme: the one kept in the settings. */
  theme: AppTheme;
  chooseTheme(theme: AppTheme): void;
}

export function appMenu({ packaged, platform, zoom, theme, chooseTheme }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  // One accelerator per item: hidden aliases make Ctrl+= (no Shift) and the keypad's keys work too.
  const zoomItems = (label: string, direction: ZoomDirection, accelerator: string, aliases: string[]): MenuItemConstructorOptions[] => [
    { label, accelerator, click: () => zoom(direction) },
    ...aliases.map((alias) => ({
      label,
      accelerator: alias,
      visible: false,
      acceleratorWorksWhenHidden: true,
      click: () => zoom(direction),
    })),
  ];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [mac ? { role: 'close' as const } : { role: 'quit' as const }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...zoomItems('Zoom In', 'in', 'CmdOrCtrl+Plus', ['CmdOrCtrl+=', 'CmdOrCtrl+numadd']),
        ...zoomItems('Zoom Out', 'out', 'CmdOrCtrl+-', ['CmdOrCtrl+numsub']),
        ...zoomItems('Actual Size', 'reset', 'CmdOrCtrl+0', ['CmdOrCtrl+num0']),
        { type: 'separator' },
        {
          label: 'Theme',
          // radio items: Electron ticks the one clicked
          submenu: APP_THEMES.map((t) => ({
            label: APP_THEME_LABELS[t],
            type: 'radio' as const,
            checked: t === theme,
            click: () => chooseTheme(t),
          })),
        },
        { role: 'togglefullscreen' },
        ...(packaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
}
