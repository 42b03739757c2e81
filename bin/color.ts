// Whether a stream gets ANSI colour: only a terminal does, each stream judged on its own (stdout piped to a file
// while stderr is a terminal colours stderr only). NO_COLOR (no-color.org: any non-empty value) turns colour off;
// FORCE_COLOR turns it on even on a pipe (FORCE_COLOR=0 or false turns it off), as most CLI tools read them.
export function colorFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  return isTTY;
}
