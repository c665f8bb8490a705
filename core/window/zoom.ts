// The window's zoom steps: Chromium's own, so the app zooms as a browser does. A lecture room's
// projector wants about 150 %; the layout is checked down to 1280×720, which is 1920×1080 at 150 %.
const ZOOM_FACTORS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;
export const MIN_ZOOM = ZOOM_FACTORS[0];
export const MAX_ZOOM = ZOOM_FACTORS[ZOOM_FACTORS.length - 1];

export type ZoomDirection = 'in' | 'out' | 'reset';

/** The next step from `current` (any factor, not only a step) in `direction`; the ends stay where they are. */
export function zoomed(current: number, direction: ZoomDirection): number {
  if (direction === 'reset') return 1;
  if (direction === 'in') return ZOOM_FACTORS.find((f) => f > current + 1e-9) ?? MAX_ZOOM;
  return [...ZOOM_FACTORS].reverse().find((f) => f < current - 1e-9) ?? MIN_ZOOM;
}
