// The one shape of an operation that may fail without it being a bug: a value, or why there is none. Callers
// narrow on `ok` (`if (!r.ok) return r.error`), so no `'x' in r` probing and no second kind of failure value.
// Findings in a spec are not failures: a spec with errors compiles to a value that carries them as diagnostics.

export type Result<T, E = string> = Ok<T> | Err<E>;

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/** The value, or an Error thrown with the failure's text (for tests and tools where a failure is a bug). */
export function unwrap<T, E>(r: Result<T, E>, what = 'operation'): T {
  if (r.ok) return r.value;
  throw new Error(`${what} failed: ${typeof r.error === 'string' ? r.error : JSON.stringify(r.error)}`);
}
