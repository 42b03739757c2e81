// The last few results of a costly, pure async computation, by a key for its input: emitting, formatting and loading
// a spec's module each take seconds, and one process often does it several times for one spec (the tests, the matrix,
// check then build). Most recently used last; a failure is not kept.

export type LastResults<T> = (key: string, make: () => Promise<T>) => Promise<T>;

export function lastResults<T>(keep: number): LastResults<T> {
  const kept = new Map<string, Promise<T>>();
  return (key, make) => {
    let p = kept.get(key);
    if (p) kept.delete(key);
    else {
      p = make();
      p.catch(() => kept.get(key) === p && kept.delete(key));
    }
    kept.set(key, p);
    while (kept.size > keep) kept.delete(kept.keys().next().value!);
    return p;
  };
}
