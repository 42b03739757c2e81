// An exception that escapes a pass is a bug in ptelab, never the user's fault: say so, and say where.

export function internalErrorText(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const frame = (err.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .find((l) => /(core|contract|grammar|compiler|runtime|apps|bin)\//.test(l));
  const where = frame ? frame.replace(/^at\s+/, '').replace(/^.*?((?:core|contract|grammar|compiler|runtime|apps|bin)\/[^)]*)\)?$/, '$1') : 'unknown location';
  return `internal error in ptelab at ${where}: ${err.message}`;
}
