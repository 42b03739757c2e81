// Where the worker script is. From the build (dist/) it is worker.js next to this file. From the TypeScript sources
// (vitest runs those; worker threads cannot load .ts) the worker's module graph is transpiled once into a temporary
// directory with the same layout: imports already end in `.js` (NodeNext), so they resolve there unchanged.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../core/atomic-write.js';

let cached: URL | undefined;

export async function workerScriptUrl(): Promise<URL> {
  if (cached) return cached;
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return (cached = new URL('./worker.js', import.meta.url));
  const ts = (await import('typescript')).default;
  const entry = path.join(path.dirname(here), 'worker.ts');
  const root = path.resolve(path.dirname(here), '../..');
  const files = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const js = ts.transpileModule(text, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
      fileName: file,
    }).outputText;
    files.set(file, js);
    // follow the value imports that survived transpilation
    for (const m of js.matchAll(/(?:from\s+|import\s*\(?\s*)['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      queue.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
  }
  const hash = createHash('sha256');
  for (const [f, js] of [...files].sort()) hash.update(f).update(js);
  const dir = path.join(os.tmpdir(), `ptelab-explore-worker-${hash.digest('hex').slice(0, 16)}`);
  const write = (out: string, text: string): void => {
    // several test processes may do this at once: each renames a whole file into place
    fs.mkdirSync(path.dirname(out), { recursive: true });
    writeFileAtomic(out, text);
  };
  write(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [f, js] of files) write(path.join(dir, path.relative(root, f).replace(/\.ts$/, '.js')), js);
  return (cached = pathToFileURL(path.join(dir, path.relative(root, entry).replace(/\.ts$/, '.js'))));
}
