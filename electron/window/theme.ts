// The app's theme, kept in the settings: View → Theme picks the system's, light or dark, and the next start
// opens in it. Applied as Electron's nativeTheme.themeSource, which the page's prefers-color-scheme follows.
import type { AppTheme } from '../../core/window/theme.ts';
import type { WindowSettings } from './zoom.ts';

export class WindowTheme {
  constructor(
    private readonly settings: WindowSettings,
    /** Sets nativeTheme.themeSource. */
    private readonly apply: (theme: AppTheme) => void,
  ) {}

  /** The kept theme, applied before the window opens (so it never opens in the other one), for the menu to tick. */
  async restore(): Promise<AppTheme> {
    const { appTheme } = await this.settings.getSettings();
    this.apply(appTheme);
    return appTheme;
  }

  async choose(theme: AppTheme): Promise<void> {
    this.apply(theme);
    await this.settings.updateSettings({ appTheme: theme });
  }
}
