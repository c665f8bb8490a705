// Zoom and pan on screen (chartjs-plugin-zoom): the wheel zooms, dragging pans, a double-click goes back
// to the whole chart. Exports draw without it.
import zoomPlugin from 'chartjs-plugin-zoom';
import { Chart } from '../../../core/charts/register.ts';

Chart.register(zoomPlugin);

export const ZOOM = {
  zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'xy' as const },
  pan: { enabled: true, mode: 'xy' as const },
};

export { Chart };
