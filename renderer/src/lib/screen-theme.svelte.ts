// The chart theme of the charts on screen: dark while the app is (View → Theme, or the system's setting, which
// Electron's nativeTheme turns into the prefers-color-scheme styles.css follows). Exports choose their own.
import { MediaQuery } from 'svelte/reactivity';
import type { Theme } from '../../../core/charts/kinds.ts';

const dark = new MediaQuery('(prefers-color-scheme: dark)');

/** Read in a $derived, it changes when the app's theme does. */
export const screenTheme = (): Theme => (dark.current ? 'dark' : 'light');
