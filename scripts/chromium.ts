// Headless Chromium driven over the DevTools protocol on a pipe (no npm dependency, no network): loads a page,
// collects console errors and exceptions, measures elements, and takes screenshots.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The Chromium binary: $CHROMIUM, else Debian's /usr/bin/chromium (or chromium-browser, google-chrome). */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => typeof c === 'string' && c.length > 0 && fs.existsSync(c));
}

export interface PageReport {
  /** Console messages of level error, uncaught exceptions and failed loads. */
  readonly errors: string[];
  /** Width and height of every element matching `measure`. */
  readonly sizes: [number, number][];
  /** The page's document height in CSS pixels. */
  readonly height: number;
}

export interface InspectOptions {
  /** CSS selector of the elements to measure. @default 'svg, img' */
  readonly measure?: string;
  /** Write a full-page PNG screenshot here. @default - none */
  readonly screenshot?: string;
  /** Viewport width. @default 1280 */
  readonly width?: number;
  /** Give up after this long. @default 30000 ms */
  readonly timeoutMs?: number;
}

/** Loads `file` in headless Chromium and reports what a person would see go wrong. */
export async function inspectPage(chromium: string, file: string, options: InspectOptions = {}): Promise<PageReport> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'review-chromium-'));
  const child = spawn(chromium, [
    '--headless', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
    '--hide-scrollbars', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
  const toChrome = child.stdio[3] as NodeJS.WritableStream;
  const fromChrome = child.stdio[4] as NodeJS.ReadableStream;
  const errors: string[] = [];
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const waiters: { method: string; resolve: () => void }[] = [];
  let nextId = 1;
  let buffer = '';
  fromChrome.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const p = pending.get(msg.id)!;
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${msg.error.message}`));
        else p.resolve(msg.result);
      } else if (msg.method) {
        const params = msg.params ?? {};
        if (msg.method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
          errors.push(`console.${params.type}: ${(params.args ?? []).map((a: any) => a.value ?? a.description ?? '').join(' ')}`);
        } else if (msg.method === 'Runtime.exceptionThrown') {
          errors.push(`exception: ${params.exceptionDetails?.exception?.description ?? params.exceptionDetails?.text}`);
        } else if (msg.method === 'Log.entryAdded' && params.entry?.level === 'error') {
          errors.push(`log: ${params.entry.text}${params.entry.url ? ` (${params.entry.url})` : ''}`);
        }
        for (const w of waiters.filter((x) => x.method === msg.method)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  });
  let sessionId: string | undefined;
  const send = (method: string, params: object = {}): Promise<any> => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    toChrome.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
  });
  const once = (method: string) => new Promise<void>((resolve) => waiters.push({ method, resolve }));
  const timeout = options.timeoutMs ?? 30000;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<PageReport> => {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    ({ sessionId } = await send('Target.attachToTarget', { targetId, flatten: true }));
    await send('Runtime.enable');
    await send('Log.enable');
    await send('Page.enable');
    await send('Emulation.setDeviceMetricsOverride', { width: options.width ?? 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    const loaded = once('Page.loadEventFired');
    await send('Page.navigate', { url: `file://${path.resolve(file)}` });
    await loaded;
    const selector = JSON.stringify(options.measure ?? 'svg, img');
    const { result } = await send('Runtime.evaluate', {
      expression: `JSON.stringify({ sizes: [...document.querySelectorAll(${selector})].map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }), height: document.documentElement.scrollHeight })`,
      returnByValue: true,
    });
    const measured = JSON.parse(result.value);
    if (options.screenshot) {
      await send('Emulation.setDeviceMetricsOverride', { width: options.width ?? 1280, height: Math.min(Math.ceil(measured.height), 16000), deviceScaleFactor: 1, mobile: false });
      const shot = await send('Page.captureScreenshot', { format: 'png' });
      fs.writeFileSync(options.screenshot, Buffer.from(shot.data, 'base64'));
    }
    sessionId = undefined;
    await send('Browser.close').catch(() => undefined);
    return { errors, sizes: measured.sizes, height: measured.height };
  };
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`chromium did not load ${file} within ${timeout} ms`)), timeout);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    // Browser.close lets it exit on its own; then the whole process group goes (its helpers write to the profile)
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
    await removeProfile(profile);
  }
}

/** Removes the throw-away profile; a helper process may still be closing files in it, so try a few times. */
async function removeProfile(dir: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
