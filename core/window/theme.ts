// The app's own theme (View → Theme): the system's setting followed, or light or dark whatever it is.
// Electron's nativeTheme takes the same three names; the page's prefers-color-scheme follows it.
export const APP_THEMES = ['system', 'light', 'dark'] as const;
export type AppTheme = (typeof APP_THEMES)[number];

export const APP_THEME_LABELS: Record<AppTheme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The window's colour before its page paints (styles.css's --bg of each theme), so it opens without a flash. */
export const WINDOW_BACKGROUNDS = { light: '#f6f7f9', dark: '#0b1018' } as const;
