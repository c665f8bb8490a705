// Each chart's own title and axis labels, from its kind and the options that change what it shows; the
// export dialog starts from these, and a chart draws them unless the user has edited them.
import type { SweepInfo } from '../preset/sweep.ts';
import type { Landscape } from '../results/landscape.ts';
import { points } from './figures.ts';
import { heatmapText } from './heatmap-view.ts';
import { landscapeText } from './landscape.ts';
import { sliceText } from './slice.ts';
import type { ChartKind } from './kinds.ts';
import type { ChartOptions } from './request.ts';

/** A chart's title and axis labels when the user has not edited them. */
export interface ChartText {
  title: string;
  xLabel: string;
  yLabel: string;
}

/** Each chart's own title and axis labels (the landscape's and slice's name the plane's model); the export dialog starts from these. */
export function chartText(
  kind: ChartKind,
  o: Pick<ChartOptions, 'showTrain' | 'trainSmoothing' | 'lrLog' | 'finalsLoss' | 'heatmap' | 'step' | 'linearSteps'> = {},
  sweep: SweepInfo | null = null,
  plane?: Landscape,
): ChartText {
  const training = o.trainSmoothing ? `training faint, smoothed ${o.trainSmoothing}` : 'training faint';
  const loss = o.showTrain ? `MSE loss (validation; ${training})` : 'validation MSE loss';
  const step = o.linearSteps ? 'step' : 'step + 1'; // the log axis puts step 0 at 1
  switch (kind) {
    case 'loss':
      return { title: 'Loss against step', xLabel: step, yLabel: loss };
    case 'bands':
      return { title: 'Loss against step: median and spread per group', xLabel: step, yLabel: loss };
    case 'fit':
      return {
        title: o.step === undefined ? 'Fitted function against the target' : `Fitted function at step ${points(o.step)}`,
        xLabel: 'x',
        yLabel: 'y',
      };
    case 'lr':
      return { title: 'Learning-rate schedule', xLabel: step, yLabel: o.lrLog ? 'learning rate (log scale)' : 'learning rate' };
    case 'finals':
      return o.finalsLoss === 'best'
        ? { title: 'Best loss per group', xLabel: 'group', yLabel: 'lowest validation loss seen' }
        : { title: 'Final loss per group', xLabel: 'group', yLabel: 'final validation loss' };
    case 'reach':
      return { title: 'Time to reach the loss limit (Kaplan–Meier)', xLabel: 'step + 1', yLabel: 'fraction of models reached' };
    case 'heatmap':
      return heatmapText(sweep, o.heatmap);
    case 'kinks':
      return { title: 'Where each hidden unit bends, against step', xLabel: 'step + 1', yLabel: 'kink position x = −b / w' };
    case 'landscape':
      return landscapeText(plane);
    case 'slice':
      return sliceText(plane?.model);
  }
}
