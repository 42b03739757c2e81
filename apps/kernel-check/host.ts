// What the running machine offers a kernel check, and the swapfile the check sets up and always tears down.
// Requirements: Linux, gcc, userfaultfd (root, or vm.unprivileged_userfaultfd = 1), and for the scenarios that
// evict, reclaim or swapoff: root, to create and swapon a swapfile of our own (the only swap a test may turn off).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface HostInfo {
  readonly kernel: string; // os.release(), e.g. "6.18.44-..."
  readonly arch: string; // uname -m spelling: x86_64, aarch64
  readonly root: boolean;
  /** Why the check cannot run at all here (empty: it can). */
  readonly missing: readonly string[];
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function probeHost(): HostInfo {
  const missing: string[] = [];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform !== 'linux') missing.push(`not Linux (${process.platform}): the selftests drive Linux syscalls`);
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) missing.push('no gcc on PATH: the selftests are C programs built with gcc');
  if (process.platform === 'linux' && !root) {
    const unpriv = readText('/proc/sys/vm/unprivileged_userfaultfd')?.trim();
    if (unpriv !== '1') missing.push('not root, and vm.unprivileged_userfaultfd is not 1: no userfaultfd for this user');
  }
  if (process.platform === 'linux' && !fs.existsSync('/proc/self/pagemap')) missing.push('no /proc/self/pagemap');
  return { kernel: os.release(), arch: os.machine ? os.machine() : process.arch, root, missing };
}

/** "6.18.44-fc" -> [6, 18] */
export function kernelVersion(release: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export interface Swapfile {
  readonly file: string;
  /** Turns the swapfile off and deletes it (and its directory); safe to call twice. */
  teardown(): string[];
}

/**
 * A swapfile of `mb` MiB in a new directory under `dir`, swapped on at the highest priority so evictions go to it
 * (and a swapoff of it brings them back). Throws with the reason when it cannot be set up; whatever was set up is
 * torn down first.
 */
export function setupSwapfile(dir: string, mb = 64): Swapfile {
  const d = fs.mkdtempSync(path.join(dir, 'ptelab-swap-'));
  const file = path.join(d, 'swapfile');
  let on = false;
  const teardown = (): string[] => {
    const problems: string[] = [];
    if (on) {
      const r = spawnSync('swapoff', [file], { encoding: 'utf8' });
      if (r.status !== 0) problems.push(`swapoff ${file}: ${(r.stderr || r.error?.message || '').trim()}`);
      else on = false;
    }
    if (!on) fs.rmSync(d, { recursive: true, force: true });
    return problems;
  };
  try {
    // written, not fallocated: swapon refuses files with holes (and unwritten extents on some filesystems)
    const fd = fs.openSync(file, 'w', 0o600);
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const mk = spawnSync('mkswap', [file], { encoding: 'utf8' });
    if (mk.status !== 0) throw new Error(`mkswap: ${(mk.stderr || mk.error?.message || '').trim()}`);
    const on_ = spawnSync('swapon', ['-p', '32767', file], { encoding: 'utf8' });
    if (on_.status !== 0) throw new Error(`swapon: ${(on_.stderr || on_.error?.message || '').trim()}`);
    on = true;
  } catch (e) {
    teardown();
    throw e;
  }
  return { file, teardown };
}

/** Is `file` listed in /proc/swaps? (The tests check that a check never leaves its swap on.) */
export function swapIsOn(file: string): boolean {
  const swaps = readText('/proc/swaps') ?? '';
  return swaps.split('\n').some((l) => l.split(/\s+/)[0] === file);
}

export interface HugePageReservation {
  /** How many huge pages the run added to vm.nr_hugepages (what teardown takes away again). */
  readonly added: number;
  /** Free huge pages not reserved by anyone, after the raise: the run needs `need` of them. */
  readonly available: number;
  /** Takes the added pages off vm.nr_hugepages again; safe to call twice. */
  teardown(): string[];
}

const NR_HUGEPAGES = '/proc/sys/vm/nr_hugepages';

/** A number of /proc/meminfo ("HugePages_Free"), 0 when absent. */
function meminfo(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readText('/proc/meminfo') ?? '');
  return m ? Number(m[1]) : 0;
}

function freeHugePages(): number {
  return meminfo('HugePages_Free') - meminfo('HugePages_Rsvd');
}

/**
 * Makes `need` default-size huge pages free for the run (root): vm.nr_hugepages is raised by what is missing, and
 * teardown lowers it by what was added (not to the value read before: a concurrent user of the pool keeps what it
 * added). The kernel may give fewer (no contiguous memory): `available` says how many are there; the scenarios
 * that need more are then skipped by their programs, saying so.
 */
export function reserveHugePages(need: number): HugePageReservation {
  const read = (): number => Number((readText(NR_HUGEPAGES) ?? '').trim());
  const before = read();
  if (!Number.isInteger(before)) throw new Error(`cannot read ${NR_HUGEPAGES}`);
  const missing = Math.max(0, need - freeHugePages());
  let added = 0;
  if (missing > 0) {
    fs.writeFileSync(NR_HUGEPAGES, String(before + missing));
    added = Math.max(0, read() - before);
  }
  const teardown = (): string[] => {
    if (added === 0) return [];
    const now = read();
    try {
      fs.writeFileSync(NR_HUGEPAGES, String(Math.max(0, now - added)));
      added = 0;
      return [];
    } catch (e) {
      return [`${NR_HUGEPAGES}: could not lower it by ${added}: ${e instanceof Error ? e.message : String(e)}`];
    }
  };
  return {
    get added() {
      return added;
    },
    available: freeHugePages(),
    teardown,
  };
}
