// A minimal LSP client for tests: starts `ptelab lsp` as a child process from the sources (no build needed, see
// test/helpers/ts-hooks.mjs) and speaks JSON-RPC with Content-Length framing over its stdin/stdout, as an editor does.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/repo.js';

interface Message {
  readonly jsonrpc: '2.0';
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
}

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void }>();
  private readonly notifications: Message[] = [];
  private readonly waiters: { method: string; test: (params: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor() {
    this.child = spawn(process.execPath, ['--import', path.join(repoRoot, 'test/helpers/ts-register.mjs'), path.join(repoRoot, 'bin/ptelab.ts'), 'lsp', '--stdio'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d: Buffer) => this.onData(d));
    this.child.stderr.on('data', (d: Buffer) => void (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from ptelab lsp: ${header}`);
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(msg: Message): void {
    if (msg.id !== undefined && msg.method === undefined) {
      this.pending.get(msg.id)?.resolve(msg);
      this.pending.delete(msg.id);
      return;
    }
    if (msg.method === undefined) return;
    if (msg.id !== undefined) {
      // A request from the server (e.g. client/registerCapability): answer it as an editor would.
      this.write({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    const w = this.waiters.findIndex((x) => x.method === msg.method && x.test(msg.params));
    if (w >= 0) {
      this.waiters[w]!.resolve(msg.params);
      this.waiters.splice(w, 1);
    } else {
      this.notifications.push(msg);
    }
  }

  private write(msg: Message): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  async request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const reply = new Promise<Message>((resolve) => this.pending.set(id, { resolve }));
    this.write({ jsonrpc: '2.0', id, method, params });
    const m = await reply;
    if (m.error) throw new Error(`${method} failed: ${m.error.message}`);
    return m.result as T;
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The next notification `method` whose params pass `test` (already received or still to come). */
  waitFor<T>(method: string, test: (params: T) => boolean = () => true): Promise<T> {
    const i = this.notifications.findIndex((n) => n.method === method && test(n.params as T));
    if (i >= 0) {
      const [n] = this.notifications.splice(i, 1);
      return Promise.resolve(n!.params as T);
    }
    return new Promise((resolve) => this.waiters.push({ method, test: test as (p: unknown) => boolean, resolve: resolve as (m: unknown) => void }));
  }

  kill(): void {
    this.child.kill();
  }
}
