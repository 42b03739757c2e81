// A headless Chromium driven over the DevTools protocol through a pipe (--remote-debugging-pipe): the browser reads
// NUL-terminated JSON commands on its fd 3 and writes replies and events on its fd 4. No WebSocket (Node 20 has none
// without a flag), no npm dependency, no port. Enough of the protocol for the report's browser test: open a page,
// collect console errors, evaluate an expression, take a screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where to look for a browser: $PTELAB_CHROMIUM, then Debian's `chromium` package and the usual names. */
export const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const INSTALL_HINT =
  'no Chromium found: install it with `npm run setup:browser` (as root on Debian it runs `apt-get install -y chromium`), ' +
  'or point PTELAB_CHROMIUM at a Chrome/Chromium binary';

export function findChromium(): string | undefined {
  const env = process.env['PTELAB_CHROMIUM'];
  if (env) return fs.existsSync(env) ? env : undefined;
  return CANDIDATES.find((c) => fs.existsSync(c));
}

type Json = Record<string, unknown>;

interface Pending {
  resolve(v: Json): void;
  reject(e: Error): void;
  method: string;
}

export interface ProtocolEvent {
  readonly method: string;
  readonly params: Json;
  readonly sessionId?: string;
}

/** One open tab and what it has done so far (Chromium.open). */
export interface PageSession {
  readonly targetId: string;
  readonly sessionId: string;
  readonly url: string;
  /** Console errors, uncaught exceptions and browser errors (CSP refusals, failed loads), as text. */
  readonly errors: string[];
  /** The URL of every request the page made, the page's own included. */
  readonly requests: string[];
  /** alert(), confirm(), prompt(): none should ever open. */
  readonly dialogs: string[];
}

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: ProtocolEvent) => void>();
  private readonly pageListeners = new Map<string, () => void>();
  private buffer = '';
  private exited = false;
  /** The browser's stderr, for failure messages. */
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly input: Writable,
    private readonly userDataDir: string,
  ) {}

  static async launch(executable: string): Promise<Chromium> {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-chromium-'));
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-dev-shm-usage',
      '--mute-audio',
      '--hide-scrollbars',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      'about:blank',
    ];
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const input = child.stdio[3] as Writable;
    const output = child.stdio[4] as Readable;
    const b = new Chromium(child, input, userDataDir);
    (child.stderr as Readable).on('data', (d: Buffer) => {
      if (b.stderr.length < 20_000) b.stderr += d.toString('utf8');
    });
    output.on('data', (d: Buffer) => b.onData(d.toString('utf8')));
    child.on('exit', () => {
      b.exited = true;
      for (const p of b.pending.values()) p.reject(new Error(`chromium exited during ${p.method}\n${b.stderr}`));
      b.pending.clear();
    });
    child.on('error', (e) => {
      b.exited = true;
      for (const p of b.pending.values()) p.reject(e);
      b.pending.clear();
    });
    // The first command answers once the browser is up.
    await b.send('Browser.getVersion');
    return b;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const msg = JSON.parse(this.buffer.slice(0, end)) as Json;
      this.buffer = this.buffer.slice(end + 1);
      if (typeof msg['id'] === 'number') {
        const p = this.pending.get(msg['id']);
        if (!p) continue;
        this.pending.delete(msg['id']);
        const err = msg['error'] as { message?: string } | undefined;
        if (err) p.reject(new Error(`${p.method}: ${err.message ?? JSON.stringify(err)}`));
        else p.resolve((msg['result'] as Json | undefined) ?? {});
      } else if (typeof msg['method'] === 'string') {
        const e: ProtocolEvent = { method: msg['method'], params: (msg['params'] as Json | undefined) ?? {}, ...(typeof msg['sessionId'] === 'string' ? { sessionId: msg['sessionId'] } : {}) };
        for (const l of this.listeners) l(e);
      }
    }
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    if (this.exited) return Promise.reject(new Error(`chromium has exited (${method})\n${this.stderr}`));
    const id = this.nextId++;
    return new Promise<Json>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  on(listener: (e: ProtocolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event `method` of `sessionId` that arrives after this call (rejects after `timeoutMs`). */
  waitFor(method: string, sessionId: string, timeoutMs = 15_000): Promise<ProtocolEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const off = this.on((e) => {
        if (e.method === method && e.sessionId === sessionId) {
          clearTimeout(timer);
          off();
          resolve(e);
        }
      });
    });
  }

  /** A new tab with its own session (events and commands flattened onto this connection). */
  async newPage(): Promise<{ targetId: string; sessionId: string }> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return { targetId, sessionId };
  }

  /**
   * A new tab that records what the page does while it loads `url` and afterwards: console errors, uncaught
   * exceptions, browser-side errors (a Content-Security-Policy refusal is one), every request it makes and every
   * dialog it opens. Resolves once the load event has fired.
   */
  async open(url: string, viewport = { width: 1280, height: 1000 }): Promise<PageSession> {
    const { targetId, sessionId } = await this.newPage();
    const p: PageSession = { targetId, sessionId, url, errors: [], requests: [], dialogs: [] };
    const off = this.on((e) => {
      if (e.sessionId !== sessionId) return;
      const q = e.params;
      if (e.method === 'Runtime.consoleAPICalled' && (q['type'] === 'error' || q['type'] === 'assert')) {
        const args = (q['args'] as { value?: unknown; description?: string }[] | undefined) ?? [];
        p.errors.push(`console.${String(q['type'])}: ${args.map((a) => a.description ?? String(a.value)).join(' ')}`);
      } else if (e.method === 'Runtime.exceptionThrown') {
        const d = q['exceptionDetails'] as { text?: string; exception?: { description?: string } } | undefined;
        p.errors.push(`exception: ${d?.exception?.description ?? d?.text ?? 'unknown'}`);
      } else if (e.method === 'Log.entryAdded') {
        const entry = q['entry'] as { level?: string; source?: string; text?: string; url?: string } | undefined;
        if (entry?.level === 'error') p.errors.push(`${entry.source ?? 'log'}: ${entry.text ?? ''}${entry.url ? ` (${entry.url})` : ''}`);
      } else if (e.method === 'Network.requestWillBeSent') {
        p.requests.push(String((q['request'] as { url?: string } | undefined)?.url));
      } else if (e.method === 'Page.javascriptDialogOpening') {
        p.dialogs.push(`${String(q['type'])}: ${String(q['message'])}`);
        void this.send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => undefined);
      }
    });
    this.pageListeners.set(sessionId, off);
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = this.waitFor('Page.loadEventFired', sessionId, 30_000);
    const nav = (await this.send('Page.navigate', { url }, sessionId)) as { errorText?: string };
    if (nav.errorText) throw new Error(`cannot open ${url}: ${nav.errorText}`);
    await loaded;
    // Two animation frames: layout and paint have happened.
    await this.evaluate(p, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
    return p;
  }

  /** The value of `expression` in the page (awaited if it is a promise); throws what the page threw. */
  async evaluate<T = unknown>(p: PageSession, expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, p.sessionId)) as {
      result: { value?: T };
      exceptionDetails?: { text?: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** A PNG of the viewport, or of `clip` (page coordinates, beyond the viewport if need be), written to `file`. */
  async screenshot(p: PageSession, file: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
    const { data } = (await this.send(
      'Page.captureScreenshot',
      { format: 'png', ...(clip ? { clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : {}) },
      p.sessionId,
    )) as { data: string };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }

  async closePage(p: PageSession): Promise<void> {
    await this.send('Target.closeTarget', { targetId: p.targetId });
    this.pageListeners.get(p.sessionId)?.();
    this.pageListeners.delete(p.sessionId);
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      await Promise.race([this.send('Browser.close').catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (!this.exited) this.child.kill('SIGKILL');
    }
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
