// A worker thread of `ptelab explore --workers N` (pool.ts): it loads the spec module itself from the emitted JS
// text (the generated module imports nothing), then runs what the level barrier asks: a world, a level, a compaction.
// The visited table, the frontier segments and the control block are shared memory (level.ts, table.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { SpecModule } from '../../contract/spec-module.js';
import type { ExpanderConfig } from './expander.js';
import { LevelRunner, type LevelTask } from './level.js';

type Request = { type: 'world'; config: ExpanderConfig } | { type: 'level'; task: LevelTask } | { type: 'compact' };

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('explore worker: not in a worker thread');
  const { moduleJs } = workerData as { moduleJs: string };
  const url = `data:text/javascript;base64,${Buffer.from(moduleJs, 'utf8').toString('base64')}`;
  const module = ((await import(url)) as { default: SpecModule }).default;
  let runner: LevelRunner | undefined;
  port.on('message', (m: Request) => {
    try {
      if (m.type === 'world') {
        runner = new LevelRunner(module, m.config);
        port.postMessage({ type: 'ready' });
      } else if (m.type === 'level') {
        runner!.begin(m.task);
        while (runner!.step());
        port.postMessage({ type: 'level', report: runner!.end() });
      } else {
        port.postMessage({ type: 'compact', report: runner!.compact() });
      }
    } catch (e) {
      port.postMessage({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage({ type: 'ready' });
}

void start();
