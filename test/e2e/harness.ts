// Drives the real renderer in Debian's Chromium with window.lab bound to the real IPC handler table
// over a temporary data directory — the desktop app minus Electron's window. Any script can use it:
//   const browser = await launchChromium(); const lab = await openLab({ browser });
//   await lab.page.click('[data-testid=run-start]'); ... await lab.close(); await browser.close();
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CSP } from '../../core/window/csp.ts';
import { gpuPageOver, type GpuPage } from '../../core/gpu/remote.ts';
import { createLabApi, METHODS } from '../../core/ipc/api.ts';
import type { RunRecord } from '../../core/ipc/contract.ts';
import { createHandlers, type HandlerTable } from '../../electron/ipc/handlers.ts';
import { RecordingClipboard, ScriptedDialogs, SentMessages } from '../fakes.ts';
import { ROOT } from '../helpers.ts';
import { buildRenderer, RENDERER_DIR } from './renderer-build.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-unsafe-webgpu', // the GPU page's WebGPU (SwiftShader here), as the app enables it on Linux
];

export interface Lab {
  page: Page;
  dataDir: string;
  dialogs: ScriptedDialogs;
  clipboard: RecordingClipboard;
  handlers: HandlerTable;
  messages: SentMessages;
  /** The groups main has asked the GPU page to train (opened with `gpu`). */
  gpuCalls: string[];
  /** Closes the GPU page, as a crash of its process would end it. */
  closeGpuPage(): Promise<void>;
  /** Trains a preset through the handler table (as the Start button does) and waits until its files are stored. */
  runToEnd(preset: unknown, workers?: number): Promise<RunRecord>;
  /** Starts a preset likewise on the fused kernel, presses Stop once a model has finished, and waits until it is stored. */
  runStopped(preset: unknown): Promise<RunRecord>;
  /** Reloads the page (the data directory stays). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

let built: Promise<string> | null = null;

/** The renderer the e2e tier built (RENDERER_DIR), or one built once for this process. */
function renderer(): Promise<string> {
  const prebuilt = process.env[RENDERER_DIR];
  built ??= prebuilt ? Promise.resolve(prebuilt) : buildRenderer();
  return built;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

/** The GPU page in a page of its own, its window.gpuLink bound to main's end over Playwright. */
async function openGpuPage(context: BrowserContext, url: string, calls: string[]): Promise<{ link: GpuPage; close(): Promise<void> }> {
  const gpuPage = await context.newPage();
  const { page, receive } = gpuPageOver((message) => {
    if (message.type === 'train') calls.push(message.call);
    gpuPage.evaluate((m) => (window as unknown as { __gpuDeliver(m: unknown): void }).__gpuDeliver(m), message).catch(() => {});
  });
  await gpuPage.exposeBinding('__gpuPost', (_source, message: Parameters<typeof receive>[0]) => receive(message));
  await gpuPage.addInitScript(`(() => {
    const listeners = [];
    window.__gpuDeliver = (m) => listeners.forEach((l) => l(m));
    window.gpuLink = { post: (m) => window.__gpuPost(m), onMessage: (l) => listeners.push(l) };
  })();`);
  // as main hears of the app's GPU page crashing (render-process-gone)
  gpuPage.on('close', () => receive({ type: 'gone', message: 'the GPU page stopped (closed)' }));
  gpuPage.on('crash', () => receive({ type: 'gone', message: 'the GPU page stopped (crashed)' }));
  await gpuPage.goto(`${url}gpu.html`);
  return { link: page, close: () => gpuPage.close() };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export async function openLab(options: {
  browser: Browser;
  dataDir?: string;
  viewport?: { width: number; height: number };
  /** The system's setting the page sees (prefers-color-scheme), as Electron's nativeTheme sets it. */
  colorScheme?: 'light' | 'dark';
  before?: (lab: Omit<Lab, 'page' | 'reload' | 'close' | 'closeGpuPage'>) => Promise<void>;
  /** Also open the hidden GPU page (gpu.html) and give it to the handlers, as the app does: the webgpu backend's groups train there. */
  gpu?: boolean;
}): Promise<Lab> {
  const dir = await renderer();
  const { server, url } = await serve(dir);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'minima-data-'));
  const dialogs = new ScriptedDialogs();
  const clipboard = new RecordingClipboard();
  const messages = new SentMessages();
  const context = await options.browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const gpuCalls: string[] = [];
  const gpu = options.gpu ? await openGpuPage(context, url, gpuCalls) : undefined;
  let live = true;
  const handlers = createHandlers({
    gpuPage: gpu && (() => gpu.link),
    dataDir,
    builtInPresets: join(ROOT, 'resources/presets'),
    dialogs,
    clipboard,
    send: (message) => {
      messages.send(message);
      if (live) page.evaluate((m) => (window as unknown as { __labEmit(m: unknown): void }).__labEmit(m), message).catch(() => {});
    },
  });
  const runToEnd = async (preset: unknown, workers = 2): Promise<RunRecord> => {
    const reply = await handlers.dispatch('startRun', { preset, backend: 'auto', workers });
    if (!reply.ok) throw new Error(reply.error);
    return messages.stored((reply.value as RunRecord).id);
  };
  const runStopped = async (preset: unknown): Promise<RunRecord> => {
    const reply = await handlers.dispatch('startRun', { preset, backend: 'fused', workers: 2 });
    if (!reply.ok) throw new Error(reply.error);
    const { id: runId } = reply.value as RunRecord;
    await messages.next((m) => m.kind === 'event' && m.runId === runId && m.event.type === 'modelFinished');
    await handlers.dispatch('stopRun', { runId });
    return messages.stored(runId);
  };
  await options.before?.({ dataDir, dialogs, clipboard, handlers, messages, gpuCalls, runToEnd, runStopped });
  await page.exposeBinding('__labInvoke', (_source, method: string, arg: unknown) => handlers.dispatch(method, arg));
  // window.lab built exactly as the preload builds it, over the binding instead of ipcRenderer
  // every Content-Security-Policy violation is kept: close() fails on any
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
    (window.__cspViolations ??= []).push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));`);
  await page.addInitScript(`(() => {
    const listeners = new Set();
    window.__labEmit = (m) => listeners.forEach((l) => l(m));
    window.lab = (${createLabApi.toString()})(${JSON.stringify(METHODS)}, (m, a) => window.__labInvoke(m, a),
      (l) => { listeners.add(l); return () => listeners.delete(l); });
  })();`);
  await page.goto(url);
  return {
    page,
    dataDir,
    dialogs,
    clipboard,
    handlers,
    messages,
    gpuCalls,
    closeGpuPage: async () => gpu?.close(),
    runToEnd,
    runStopped,
    reload: async () => {
      await page.reload();
    },
    close: async () => {
      live = false;
      handlers.stopAll();
      const violations = await page
        .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
        .catch(() => []);
      await context.close();
      await new Promise((r) => server.close(r));
      if (violations.length) throw new Error(`the page broke its Content-Security-Policy: ${violations.join('; ')}`);
    },
  };
}

/** Where the e2e suite's screenshots go. */
export const SHOTS = join(ROOT, 'test-results/screenshots');

/**
 * A vitest suite's browser and pages: one Chromium for the suite, and for each test a fresh page over a
 * fresh data folder (closed after the test, failing it on any CSP violation). `shot` saves a screenshot.
 */
export function labSuite(viewport?: { width: number; height: number }, colorScheme?: 'light' | 'dark') {
  let browser: Browser;
  let lab: Lab | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);
  afterEach(async () => {
    await lab?.close();
    lab = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    open: async (before?: Parameters<typeof openLab>[0]['before'], more: { gpu?: boolean } = {}) =>
      (lab = await openLab({ browser, viewport, colorScheme, before, ...more })),
    shot: (name: string) =>
      lab!.page.screenshot({
        path: join(SHOTS, `${name}${colorScheme === 'dark' ? '-dark' : ''}${viewport ? `-${viewport.width}x${viewport.height}` : ''}.png`),
        fullPage: !viewport,
      }),
  };
}
