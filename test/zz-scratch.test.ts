import { it } from 'vitest';
import { compileSpec } from '../compiler/compile.js';
import { memoryHost } from '../compiler/load.js';
import { X86 } from './helpers.js';
it('reference workload', () => {
  for (let i = 0; i < 20; i++) compileSpec('s.pte', memoryHost({ 's.pte': X86 }));
  const c = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < 200; i++) compileSpec('s.pte', memoryHost({ 's.pte': X86 }));
  const u = process.cpuUsage(c);
  console.log('REF x86 compile', ((performance.now() - t) / 200).toFixed(2), 'ms wall', ((u.user + u.system) / 200 / 1000).toFixed(2), 'ms cpu');
});
