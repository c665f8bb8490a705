// Chart.js with only the parts Minima Lab's charts use, the annotation plugin for reference lines, the
// matrix chart type, our heatmap plugin for sweeps, our landscape plugin for the loss landscape's cells and
// the timeline's cursor.
// (Zoom and pan are the renderer's own: they need a pointer.)
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  SubTitle,
  Title,
  Tooltip,
} from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import annotation from 'chartjs-plugin-annotation';
import { cursorPlugin } from './cursor.ts';
import { heatmapPlugin } from './heatmap.ts';
import { landscapePlugin } from './landscape.ts';

Chart.register(
  LineController,
  ScatterController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Title,
  SubTitle,
  Tooltip,
  annotation,
  MatrixController,
  MatrixElement,
  heatmapPlugin,
  cursorPlugin,
  landscapePlugin,
);

export { Chart };
