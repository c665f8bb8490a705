// The window's zoom, kept in the settings: View → Zoom In/Out/Actual Size and Ctrl + the mouse wheel step
// through core/window/zoom.ts's factors; the next start opens at the same size.
import { zoomed, type ZoomDirection } from '../../core/window/zoom.ts';
import type { Settings } from '../../core/results/records.ts';

/** Where the window's zoom and theme are kept: the handler table's settings (one writer for settings.json). */
export interface WindowSettings {
  getSettings(): Promise<Settings>;
  updateSettings(change: Partial<Settings>): Promise<Settings>;
}

export class WindowZoom {
  constructor(
    private readonly settings: WindowSettings,
    /** Sets the window's zoom factor (webContents.setZoomFactor). */
    private readonly apply: (factor: number) => void,
  ) {}

  /** The kept zoom, for a page that has just loaded (Chromium resets it with every load). */
  async restore(): Promise<void> {
    this.apply((await this.settings.getSettings()).zoom);
  }

  async step(direction: ZoomDirection): Promise<number> {
    const zoom = zoomed((await this.settings.getSettings()).zoom, direction);
    this.apply(zoom);
    await this.settings.updateSettings({ zoom });
    return zoom;
  }
}
