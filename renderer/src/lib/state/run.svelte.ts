// The run: where and how it trains (backend, workers, a Redis queue), starting and stopping it, and
// the run on screen — live, its messages gathered and applied (run-view.ts) ten times a second, or
// opened from the history.
import type { RunMessage, RunPlace, RunRecord } from '../../../../core/ipc/contract.ts';
import { estimateRun } from '../../../../core/preset/estimate.ts';
import { MAX_WORKERS } from '../../../../core/preset/preset.ts';
import { isRedisUrl, shownUrl } from '../../../../core/queue/redis-url.ts';
import { DEFAULT_BACKEND, type Backend, type ModelResult } from '../../../../core/results/events.ts';
import { duration } from '../../../../core/results/format.ts';
import { when } from '../format.ts';
import { library } from './library.svelte.ts';
import { page } from './page.svelte.ts';
import { runHistory } from './run-history.svelte.ts';
import { applyMessages, storedView, viewOf, type RunView } from './run-view.ts';

/** How long run messages gather before the page applies them. */
const INBOX_MS = 100;
/** A run estimated to take longer than this (10 minutes) starts only once the user says so: seldom is one meant. */
const ASK_ABOVE_SECONDS = 600;

class Run {
  /**
   * Raw (not deeply reactive): curves grow by thousands of points, and proxies on every point would
   * slow the charts. Every change replaces the view object, which is what redraws the screen.
   */
  view = $state.raw<RunView | null>(null);
  backend = $state<Backend>(DEFAULT_BACKEND);
  workers = $state(1);
  /** This computer, or the worker pool behind the Redis queue (`lab worker`). */
  where = $state<RunPlace>('local');
  /** The queue's Redis URL as typed (kept in the settings once a run uses it). */
  redisUrl = $state('');
  redisProblem = $derived(
    this.where === 'queue' && !isRedisUrl(this.redisUrl.trim()) ? 'a redis:// URL, e.g. redis://localhost:6379' : null,
  );
  /** tfjs and webgpu train each group as one batch, in one worker. */
  oneWorker = $derived(this.backend.startsWith('tfjs') || this.backend === 'webgpu');
  /** Whether the Workers field counts: a local run on the CPU kernels (a queue's workers choose their own). */
  workersCount = $derived(this.where === 'local' && !this.oneWorker);
  /** What is wrong with the Workers field where it counts, or null (an empty field binds to null). */
  workersProblem = $derived(
    this.workersCount && !(Number.isInteger(this.workers) && this.workers >= 1 && this.workers <= MAX_WORKERS)
      ? `a whole number from 1 to ${MAX_WORKERS}`
      : null,
  );
  /** The draft's estimate on this computer before it starts; null on a queue, or while the draft or the workers have a problem. */
  estimate = $derived.by(() =>
    this.where === 'local' && library.draft && !library.problem && !this.workersProblem
      ? estimateRun(library.snapshot(), this.backend, this.workersCount ? this.workers : 1)
      : null,
  );

  /** While startRun is answered: its run's first messages may come before its id, and wait for it here. */
  private starting = false;
  private early: RunMessage[] = [];
  /** Messages not yet applied, and the timer that applies them. */
  private inbox: RunMessage[] = [];
  private inboxTimer: ReturnType<typeof setTimeout> | null = null;
  /** The live run's finished models by id: its `finished` event does not carry them again. */
  private finishedModels: ModelResult[] = [];

  /** Starts the draft, asking first when it may take longer than ten minutes on this computer. */
  startOrAsk(): void {
    const estimate = this.estimate;
    if (!estimate || estimate.seconds <= ASK_ABOVE_SECONDS) return void this.start();
    page.confirmation = {
      title: `Start a run that may take ${duration(estimate.seconds)}?`,
      detail:
        `Every model trained to its step cap: ${estimate.modelSteps.toLocaleString('en-US')} model-steps, at most about ` +
        `${duration(estimate.seconds)} on this computer (a model that reaches the loss limit stops sooner). Fewer max steps or models make it shorter.`,
      confirm: 'Start it',
      spends: true,
      cancel: 'Not now',
      action: () => void this.start(),
    };
  }

  /** Starts the draft, as it is now, where the run settings say. */
  async start(): Promise<void> {
    if (!library.draft || library.problem) return;
    const preset = library.snapshot();
    const source = { presetId: library.selected?.id ?? null, edited: library.dirty };
    const where = this.where;
    if (where === 'queue') {
      if (this.redisProblem) return page.say('error', `Redis URL: expected ${this.redisProblem}.`);
      if ((await page.attempt(() => window.lab.updateSettings({ redisUrl: this.redisUrl.trim() }))) === 'failed') return;
      page.say('info', `Connecting to ${shownUrl(this.redisUrl.trim())}…`);
    }
    this.starting = true;
    const started = await page.attempt(() =>
      window.lab.startRun({ preset, backend: this.backend, workers: this.workersCount ? this.workers : 1, where, ...source }),
    );
    this.starting = false;
    const early = this.early.filter((m) => started !== 'failed' && m.runId === started.value.id);
    this.early = [];
    if (started === 'failed') return;
    if (where === 'queue') page.notice = null;
    this.view = viewOf(started.value, preset, true);
    if (early.length) {
      this.inbox = [...early, ...this.inbox]; // first, in the order they came
      this.inboxTimer ??= setTimeout(() => this.applyInbox(), INBOX_MS);
    }
    page.screen = 'run';
    await runHistory.relist();
  }

  async stop(): Promise<void> {
    const view = this.view;
    if (view?.live) await page.attempt(() => window.lab.stopRun({ runId: view.runId }), 'Stopping…');
  }

  async openRun(record: RunRecord): Promise<void> {
    const opened = await page.attempt(() => window.lab.getRun({ id: record.id }));
    if (opened === 'failed') return;
    this.view = storedView(opened.value);
    page.screen = 'results';
  }

  /**
   * On launch (a reload included): the newest run back on the Run and Results screens, as if just opened
   * from the history, unless one is on screen already. One that cannot be read stays shut: the history
   * lists it with its error.
   */
  async reopenNewest(): Promise<void> {
    const newest = runHistory.runs[0];
    if (!newest || this.view) return;
    const opened = await window.lab.getRun({ id: newest.id }).catch(() => null);
    if (opened && !this.view) this.view = storedView(opened);
  }

  /** Renames a run or changes its note; the run on screen shows it at once. */
  async updateRun(id: string, change: { name?: string; note?: string }): Promise<void> {
    const updated = await page.attempt(() => window.lab.updateRun({ id, ...change }));
    if (updated === 'failed') return;
    const record = updated.value;
    if (this.view?.runId === id) this.view = { ...this.view, record, name: record.name };
    await runHistory.relist();
  }

  /** Asks, then deletes a run with its log, result and curves. */
  deleteRun(record: RunRecord): void {
    page.confirmation = {
      title: `Delete the run “${record.name}”?`,
      detail: `${record.startedAt ? `Started ${when(record.startedAt)}; its` : 'Its'} .out log, results and curves are removed.`, // the date as the run list shows it
      confirm: 'Delete',
      cancel: 'Keep it',
      action: () => void this.deleteRunNow(record),
    };
  }

  private async deleteRunNow(record: RunRecord): Promise<void> {
    if ((await page.attempt(() => window.lab.deleteRun({ id: record.id }), 'Run deleted.')) === 'failed') return;
    if (this.view?.runId === record.id) this.view = null;
    runHistory.compareIds = runHistory.compareIds.filter((id) => id !== record.id);
    await runHistory.relist();
  }

  /**
   * A message about a run, from main. A big sweep sends thousands a second: they are applied together,
   * at most ten times a second, so the page copies its rows and redraws once per batch rather than once
   * per model.
   */
  receive(message: RunMessage): void {
    this.inbox.push(message);
    this.inboxTimer ??= setTimeout(() => this.applyInbox(), INBOX_MS);
  }

  private applyInbox(): void {
    const batch: RunMessage[] = [];
    for (const message of this.inbox) {
      // a run being started may not be on screen yet: its messages wait for start() to show it
      const waits = this.starting && message.runId !== this.view?.runId;
      (waits ? this.early : batch).push(message);
    }
    this.inbox = [];
    this.inboxTimer = null;
    const applied = applyMessages({ view: this.view, finishedModels: this.finishedModels }, batch);
    this.finishedModels = applied.finishedModels;
    if (applied.stored) void runHistory.relist();
    if (applied.ended?.error) page.say('error', `The run failed: ${applied.ended.error}`);
    else if (applied.ended) page.say('info', `Run ${applied.ended.status}.`);
    if (applied.view !== this.view) this.view = applied.view;
  }
}

export const run = new Run();
