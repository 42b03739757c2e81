// `PTELAB_CPU_PROFILE=DIR npx vitest run --config vitest.profile.config.ts`: writes one V8 CPU profile per test file
// to DIR (open it in Chrome's DevTools, Performance tab), to see which functions cost a file its CPU.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

const dir = process.env['PTELAB_CPU_PROFILE'];

if (dir) {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  const file = expect.getState().testPath ?? 'unknown';
  const started = post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 1000 })).then(() => post('Profiler.start'));
  beforeAll(() => started);
  afterAll(async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(dir, { recursive: true });
    const name = path.relative(process.cwd(), file).replace(/[/\\]/g, '__');
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  });
}
