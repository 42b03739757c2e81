// The workers of an exploration: N worker threads started once for a whole run (every world, every level), or with
// one worker, this thread itself. Both run the same LevelRunner (level.ts); this thread only runs the level barrier
// (explore.ts). The worker threads load the spec module themselves from its JS text (the generated module imports
// nothing).
import { Worker } from 'node:worker_threads';
import type { SpecModule } from '../../contract/spec-module.js';
import type { ExpanderConfig } from './expander.js';
import { LevelRunner, type CompactReport, type LevelReport, type LevelTask } from './level.js';
import { workerScriptUrl } from './worker-url.js';

export interface ExplorePool {
  readonly size: number;
  /** Start a world: every worker builds its Session for it. */
  setWorld(config: ExpanderConfig): Promise<void>;
  runLevel(task: LevelTask): Promise<LevelReport[]>;
  compact(): Promise<CompactReport[]>;
  close(): Promise<void>;
}

/** The pool for `workers` (1: this thread). More than one needs the module's JS text. */
export async function openPool(module: SpecModule, workers: number, moduleJs?: string): Promise<ExplorePool> {
  if (workers <= 1) return new InlinePool(module);
  if (!moduleJs) throw new Error('explore: --workers needs the module as JS text (moduleJs)');
  return ThreadPool.start(workers, moduleJs);
}

/** One worker: this thread. It yields to the event loop every few chunks, so a progress timer and Ctrl-C still run. */
class InlinePool implements ExplorePool {
  readonly size = 1;
  private runner: LevelRunner | undefined;

  constructor(private readonly module: SpecModule) {}

  async setWorld(config: ExpanderConfig): Promise<void> {
    this.runner = new LevelRunner(this.module, config);
  }

  async runLevel(task: LevelTask): Promise<LevelReport[]> {
    const r = this.runner!;
    r.begin(task);
    let t = performance.now();
    while (r.step()) {
      const now = performance.now();
      if (now - t > 50) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        t = performance.now();
      }
    }
    return [r.end()];
  }

  async compact(): Promise<CompactReport[]> {
    return [this.runner!.compact()];
  }

  async close(): Promise<void> {
    this.runner = undefined;
  }
}

type Reply = { type: 'ready' } | { type: 'level'; report: LevelReport } | { type: 'compact'; report: CompactReport } | { type: 'error'; message: string };

class ThreadPool implements ExplorePool {
  private waiting: ((r: Reply) => void)[] = [];
  private failed: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    workers.forEach((w, i) => {
      w.on('message', (m: Reply) => this.waiting[i]?.(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`explore worker exited with code ${code}`));
      });
    });
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const f of this.waiting) f?.({ type: 'error', message: e.stack ?? e.message });
  }

  static async start(n: number, moduleJs: string): Promise<ThreadPool> {
    const url = await workerScriptUrl();
    const pool = new ThreadPool(Array.from({ length: n }, () => new Worker(url, { workerData: { moduleJs } })));
    await pool.all<'ready'>(() => undefined, 'ready');
    return pool;
  }

  /** Send each worker a message (or none) and wait for one reply of `type` from each. */
  private async all<T extends Reply['type']>(message: (i: number) => unknown, type: T): Promise<Extract<Reply, { type: T }>[]> {
    if (this.failed) throw this.failed;
    const replies = await Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<Reply>((resolve) => {
            this.waiting[i] = (r) => {
              delete this.waiting[i];
              resolve(r);
            };
            const m = message(i);
            if (m !== undefined) w.postMessage(m);
          }),
      ),
    );
    for (const r of replies) {
      if (r.type === 'error') throw new Error(`explore worker: ${r.message}`);
      if (r.type !== type) throw new Error(`explore worker: expected ${type}, got ${r.type}`);
    }
    return replies as Extract<Reply, { type: T }>[];
  }

  async setWorld(config: ExpanderConfig): Promise<void> {
    await this.all(() => ({ type: 'world', config }), 'ready');
  }

  async runLevel(task: LevelTask): Promise<LevelReport[]> {
    return (await this.all(() => ({ type: 'level', task }), 'level')).map((r) => r.report);
  }

  async compact(): Promise<CompactReport[]> {
    return (await this.all(() => ({ type: 'compact' }), 'compact')).map((r) => r.report);
  }

  async close(): Promise<void> {
    this.waiting = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
