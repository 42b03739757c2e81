// A worker thread of `ptelab explore --workers N`: it loads the spec module itself from the emitted JS text (the
// generated module imports nothing), then expands the chunks of frontier states the main thread sends, and sends
// back fingerprints and encoded successors. The visited set stays in the main thread, which processes the results
// in frontier order: the outcome is the same as with one worker, state for state.
import { parentPort, workerData } from 'node:worker_threads';
import type { SpecModule } from '../../contract/spec-module.js';
import { Expander, type ExpanderConfig } from './expander.js';
import { probeTable } from './visited.js';

export interface WorkerInit {
  readonly moduleJs: string;
  readonly config: ExpanderConfig;
}

export interface ExpandRequest {
  readonly type: 'expand';
  readonly chunk: number;
  readonly depth: number;
  readonly data: Int32Array;
  /** The main thread's visited table (shared memory), to skip successors already visited. */
  readonly visited?: Int32Array;
}

async function start(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('explore worker: not in a worker thread');
  const init = workerData as WorkerInit;
  const url = `data:text/javascript;base64,${Buffer.from(init.moduleJs, 'utf8').toString('base64')}`;
  const module = ((await import(url)) as { default: SpecModule }).default;
  const expander = new Expander(module, init.config);
  port.on('message', (m: ExpandRequest) => {
    try {
      const table = m.visited;
      const r = expander.expand(m.data, m.depth, table ? (lo, hi) => probeTable(table, lo, hi) : undefined);
      port.postMessage({ type: 'result', chunk: m.chunk, result: r }, [r.candidates.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ type: 'error', chunk: m.chunk, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage({ type: 'ready' });
}

void start();
