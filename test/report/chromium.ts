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
  'no Chromium found: install it with `apt-get update && apt-get install -y chromium` (Debian), or point PTELAB_CHROMIUM at a Chrome/Chromium binary';

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

export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: ProtocolEvent) => void>();
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
  async newPage(): Promise<string> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    return sessionId;
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
