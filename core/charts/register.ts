// Chart.js with only the parts Minima Lab's charts use, and the annotation plugin for reference lines.
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
import annotation from 'chartjs-plugin-annotation';

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
);

export { Chart };
