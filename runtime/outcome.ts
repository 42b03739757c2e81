// What a step did, as the user sees it: the simulation's result, the oracle's prediction, and how they (and the
// author's `expect`) are compared.
import type { PagemapFlag } from '../contract/spec-module.js';
import type { UffdMode, UffdRangeIoctl } from '../contract/table.js';
import type { Expect } from './scenario/types.js';

/** The simulation's result of one step. */
export type StepOutcome =
  | { readonly type: 'value'; readonly value: number }
  | { readonly type: 'ok'; readonly ioctls?: readonly UffdRangeIoctl[] } // ioctls: UFFDIO_REGISTER's reply
  | { readonly type: 'userfault'; readonly mode: UffdMode; readonly addr?: number } // the uffd_msg's flags and address
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'hwpoison' }
  /** The call never returns: the kernel restarts it for ever (restart_syscall(), -ERESTARTNOINTR, never seen by the caller). */
  | { readonly type: 'hang' }
  | { readonly type: 'error'; readonly errno: string }
  | { readonly type: 'pagemap'; readonly uffd_wp: boolean; readonly flags: readonly PagemapFlag[] };

/** The oracle's prediction: like StepOutcome, but a read may allow several values (MAP_PRIVATE, see oracle.ts). */
export type Prediction =
  | { readonly type: 'value'; readonly values: readonly number[] }
  | { readonly type: 'ok'; readonly ioctls?: readonly UffdRangeIoctl[] }
  | { readonly type: 'userfault'; readonly mode: UffdMode; readonly addr?: number }
  | { readonly type: 'sigbus' }
  | { readonly type: 'sigsegv' }
  | { readonly type: 'error'; readonly errno: string }
  | { readonly type: 'hwpoison' }
  | { readonly type: 'hang' }
  /** PM_UFFD_WP (null: either; the protection of a page whose contents are lost is not part of the contract) and PM_GUARD_REGION. */
  | { readonly type: 'pagemap'; readonly uffd_wp: boolean | null; readonly guard: boolean }
  /** Any of these: the user cannot tell which (e.g. SIGBUS or the hwpoison signal after contents are lost). */
  | { readonly type: 'either'; readonly options: readonly Prediction[] };

export const OK: StepOutcome = Object.freeze({ type: 'ok' });

export function formatOutcome(o: StepOutcome): string {
  switch (o.type) {
    case 'value':
      return String(o.value);
    case 'userfault':
      return `userfault ${o.mode}`;
    case 'error':
      return o.errno;
    case 'pagemap':
      return `${o.uffd_wp ? 'wp' : '!wp'} [${o.flags.join(' ')}]`;
    default:
      return o.type;
  }
}

export function formatPrediction(p: Prediction): string {
  switch (p.type) {
    case 'value':
      return p.values.length === 1 ? String(p.values[0]) : `one of ${p.values.join(', ')}`;
    case 'userfault':
      return `userfault ${p.mode}`;
    case 'error':
      return p.errno;
    case 'pagemap':
      return (p.uffd_wp === null ? 'wp or !wp' : p.uffd_wp ? 'wp' : '!wp') + (p.guard ? ' guard' : '');
    case 'either':
      return p.options.map(formatPrediction).join(' or ');
    default:
      return p.type;
  }
}

export function formatExpect(e: Expect): string {
  switch (e.type) {
    case 'value':
      return String(e.value);
    case 'userfault':
      return `userfault ${e.mode}${e.addr !== undefined ? ` at ${e.addr}` : ''}`;
    case 'ioctls':
      return `ioctls ${e.ioctls.join(', ')}`;
    case 'error':
      return e.errno;
    case 'pagemap':
      return e.uffd_wp ? 'wp' : '!wp';
    case 'guard':
      return e.guard ? 'guard' : '!guard';
    default:
      return e.type;
  }
}

/** Does the simulation's outcome satisfy the oracle? (pagemap: only PM_UFFD_WP and PM_GUARD_REGION are part of the contract.) */
export function outcomeMatches(o: StepOutcome, p: Prediction): boolean {
  switch (p.type) {
    case 'either':
      return p.options.some((x) => outcomeMatches(o, x));
    case 'value':
      return o.type === 'value' && p.values.includes(o.value);
    case 'userfault':
      return o.type === 'userfault' && o.mode === p.mode && (o.addr === undefined || p.addr === undefined || o.addr === p.addr);
    case 'error':
      return o.type === 'error' && o.errno === p.errno;
    case 'pagemap':
      return o.type === 'pagemap' && (p.uffd_wp === null || o.uffd_wp === p.uffd_wp) && o.flags.includes('PM_GUARD_REGION') === p.guard;
    default:
      return o.type === p.type;
  }
}

/** Is the author's expectation consistent with the oracle? */
export function expectMatches(e: Expect, p: Prediction): boolean {
  if (p.type === 'either') return p.options.some((x) => expectMatches(e, x));
  switch (e.type) {
    case 'value':
      return p.type === 'value' && p.values.includes(e.value);
    case 'userfault':
      return p.type === 'userfault' && p.mode === e.mode && (e.addr === undefined || p.addr === e.addr);
    case 'ioctls':
      return p.type === 'ok' && p.ioctls !== undefined && sameIoctls(p.ioctls, e.ioctls);
    case 'error':
      return p.type === 'error' && p.errno === e.errno;
    case 'pagemap':
      return p.type === 'pagemap' && (p.uffd_wp === null || p.uffd_wp === e.uffd_wp);
    case 'guard':
      return p.type === 'pagemap' && p.guard === e.guard;
    default:
      return p.type === e.type;
  }
}

/** The same set of range ioctls (UFFDIO_REGISTER's reply is a bitmap: order does not matter). */
export function sameIoctls(a: readonly UffdRangeIoctl[], b: readonly UffdRangeIoctl[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
