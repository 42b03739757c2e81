// Who a patch series is from and when: the `From:` and `Date:` of every mail and the Signed-off-by line.
//
// Two callers, two rules (docs/patch.md):
// - The repository's generated/ tree (bin/generate.ts) must be byte-for-byte the same on every clone with history:
//   the author and date of the spec file's last commit (`git log -1 -- FILE`), never the machine's git user, the
//   clock or SOURCE_DATE_EPOCH. A spec with no commit yet takes HEAD's; no git at all, the fixed fallback below.
// - `ptelab build` writes for the person running it: `--author`, else git's user.name/user.email; the date from
//   SOURCE_DATE_EPOCH, else the spec's last commit (else HEAD's, else the fallback). The same inputs give the same
//   bytes: nothing is read from the clock.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface PatchIdentity {
  /** `Name <email>`. */
  readonly author: string;
  /** RFC 2822 in UTC, as git format-patch writes it: `Mon, 7 Dec 2026 00:53:22 +0000`. */
  readonly date: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** No git history and no --author: an author that says where the series came from, and the Unix epoch. */
export const FALLBACK_IDENTITY: PatchIdentity = { author: 'ptelab <ptelab@localhost>', date: rfc2822(0) };

/** Seconds since the epoch as an RFC 2822 date in UTC. */
export function rfc2822(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `Name <email>` as a mail header takes it: one line, angle brackets only around the address. */
export function validAuthor(s: string): boolean {
  return /^[^<>\n\r]+ <[^<>\s@]+@[^<>\s]+>$/.test(s.trim());
}

function git(cwd: string, args: readonly string[]): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const out = r.stdout.trim();
  return out === '' ? undefined : out;
}

interface Commit {
  readonly author: string;
  readonly epoch: number;
}

/** The last commit that touched `file` (else HEAD), from the repository the file is in. */
export function lastCommit(file: string): Commit | undefined {
  const dir = path.dirname(path.resolve(file));
  const parse = (s: string | undefined): Commit | undefined => {
    const m = s ? /^(.+)\n(\d+)$/.exec(s) : null;
    return m ? { author: m[1]!, epoch: Number(m[2]) } : undefined;
  };
  const fmt = '--format=%an <%ae>%n%ct';
  return parse(git(dir, ['log', '-1', fmt, '--', path.basename(file)])) ?? parse(git(dir, ['log', '-1', fmt]));
}

/** The identity of generated/: the spec's last commit only (see the top of this file). */
export function committedIdentity(file: string): PatchIdentity {
  const c = lastCommit(file);
  return c ? { author: c.author, date: rfc2822(c.epoch) } : FALLBACK_IDENTITY;
}

/** The identity of `ptelab build`: --author or git's user; SOURCE_DATE_EPOCH or the spec's last commit. */
export function buildIdentity(file: string, opts: { readonly author?: string; readonly env: NodeJS.ProcessEnv }): PatchIdentity {
  const c = lastCommit(file);
  const dir = path.dirname(path.resolve(file));
  const name = git(dir, ['config', 'user.name']);
  const email = git(dir, ['config', 'user.email']);
  const author = opts.author ?? (name && email ? `${name} <${email}>` : c?.author ?? FALLBACK_IDENTITY.author);
  const sde = opts.env['SOURCE_DATE_EPOCH'];
  const epoch = sde !== undefined && /^\d+$/.test(sde) ? Number(sde) : c?.epoch;
  return { author, date: epoch === undefined ? FALLBACK_IDENTITY.date : rfc2822(epoch) };
}
