// A key for the content of an IR: the back ends' outputs are pure functions of it, so a process that builds one
// spec several times (the tests, the matrix, check then explore) may keep them by this key.
import { createHash } from 'node:crypto';
import type { IrSpec } from './types.js';

/** sha256 of the IR as JSON (plain data: objects, arrays, strings, numbers, booleans and bigints). */
export function irKey(ir: IrSpec): string {
  const json = JSON.stringify(ir, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString(16) } : v));
  return createHash('sha256').update(json).digest('hex');
}
