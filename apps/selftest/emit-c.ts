// A scenario as a C program for the running kernel, in the layout of the kernel's mm selftests: one program per
// scenario, one kselftest (TAP) test per program, each step a call into ptelab_selftest.h (the driver, in c/). The
// translation is a table: one emitter per op, each naming the driver function and its arguments; the expectation
// and the step's text are added the same way for every op. A scenario with a hugetlbfs file runs at the huge page's
// scale: every model page is one huge page (pt_hugetlb in the driver), as in the model (docs/runtime.md, hugetlb).
import { formatStep } from '../../runtime/format-step.js';
import { UFFD_RANGE_IOCTLS, type UffdFeature, type UffdMode } from '../../contract/table.js';
import type { Expect, Op, Scenario, Step } from '../../runtime/scenario/types.js';

/** Limits of the C driver (PT_MAX_MMS, PT_MAX_FILES, PT_MAX_UFFDS in ptelab_selftest.h). */
export const MAX_MMS = 16;
export const MAX_FILES = 8;
/** Named userfaultfds per scenario: the driver's slots after the first context (PT_MAX_UFFDS - 1). */
export const MAX_NAMED_UFFDS = 3;

export class SelftestError extends Error {
  /** The scenario is valid but the driver cannot run it yet: a set of programs leaves it out (selftest-dir.ts). */
  skippable = false;
}

function unsupported(message: string): SelftestError {
  const e = new SelftestError(message);
  e.skippable = true;
  return e;
}

/** Names of the scenario's mms and files as C enumerators, in order of declaration. */
interface Names {
  readonly mms: Map<string, string>;
  readonly files: Map<string, { id: string; pages: number }>;
  /** Named userfaultfds (`uffd NAME`) -> their C enumerator; the driver's context slot is its value (1, 2, ...). */
  readonly uffds: Map<string, string>;
  /** The scenario's files are hugetlbfs files: every model page is a huge page. */
  readonly hugetlb: boolean;
}

type Emitter<K extends Op['op']> = (op: Extract<Op, { op: K }>, n: Names) => { fn: string; args: readonly (string | number)[] };

const mm = (n: Names, name: string): string => {
  const id = n.mms.get(name);
  if (id === undefined) throw new SelftestError(`mm '${name}' is used before it is declared`);
  return id;
};
const file = (n: Names, name: string): string => {
  const f = n.files.get(name);
  if (f === undefined) throw new SelftestError(`file '${name}' is used before it is declared`);
  return f.id;
};

/** One emitter per op: the driver function (ptelab_selftest.h) and its arguments after (t, step, text). */
const EMITTERS: { readonly [K in Op['op']]: Emitter<K> } = {
  file: () => ({ fn: 'step_file', args: [] }),
  mm: (op, n) => ({ fn: 'step_mm', args: [mm(n, op.name), cString(op.name)] }),
  mmap: (op, n) =>
    op.vma.type === 'anon'
      ? op.vma.hugepage
        ? notInDriver('MADV_HUGEPAGE on a mapping (`map anon ... hugepage`: a model block of 2 pages is a 2 MiB THP)')
        : { fn: 'step_map_anon', args: [mm(n, op.mm), op.vma.start, op.vma.pages] }
      : { fn: 'step_map_file', args: [mm(n, op.mm), file(n, op.vma.file), op.vma.shared ? 'true' : 'false', op.vma.start, op.vma.pages, op.vma.pgoff] },
  munmap: (op, n) => ({ fn: 'step_munmap', args: [mm(n, op.mm), op.addr, op.pages] }),
  read: (op, n) => ({ fn: 'step_read', args: [mm(n, op.mm), op.addr] }),
  write: (op, n) => ({ fn: 'step_write', args: [mm(n, op.mm), op.addr, op.value] }),
  fork: (op, n) => ({ fn: 'step_fork', args: [mm(n, op.mm), mm(n, op.child), cString(op.child)] }),
  exit: (op, n) => ({ fn: 'step_exit', args: [mm(n, op.mm)] }),
  uffd_open: (op, n) => ({
    fn: 'step_uffd',
    args: [mm(n, op.mm), op.features.length === 0 ? '0' : op.features.map((f) => FEATURE_C[f]).join(' | ')],
  }),
  register: (op, n) => ({
    fn: 'step_register',
    args: [mm(n, op.mm), op.addr, op.pages, (op.modes ?? ['wp']).map((m) => MODE_C[m]).join(' | ')],
  }),
  unregister: (op, n) => ({ fn: 'step_unregister', args: [mm(n, op.mm), op.addr, op.pages] }),
  protect: (op, n) => ({ fn: 'step_protect', args: [mm(n, op.mm), op.addr, op.pages] }),
  resolve: (op, n) => ({ fn: 'step_resolve', args: [mm(n, op.mm), op.addr, op.pages] }),
  uffd_close: (op, n) => ({ fn: 'step_close_uffd', args: [mm(n, op.mm)] }),
  mprotect: (op, n) => ({ fn: 'step_mprotect', args: [mm(n, op.mm), op.addr, op.pages, op.none ? '2' : op.writable ? 'true' : 'false'] }),
  madv_dontneed: (op, n) => ({ fn: 'step_madv_dontneed', args: [mm(n, op.mm), op.addr, op.pages] }),
  madv_pageout: (op, n) => ({ fn: 'step_madv_pageout', args: [mm(n, op.mm), op.addr, op.pages] }),
  punch_hole: (op, n) => ({ fn: 'step_punch', args: [file(n, op.file), op.index, op.pages] }),
  mremap: (op, n) =>
    op.shrink !== undefined
      ? { fn: 'step_mremap_shrink', args: [mm(n, op.mm), op.addr, op.pages, op.shrink] }
      : { fn: op.dontunmap ? 'step_mremap_dontunmap' : 'step_mremap', args: [mm(n, op.mm), op.addr, op.pages, op.to] },
  pagemap: (op, n) => ({ fn: 'step_pagemap', args: [mm(n, op.mm), op.addr] }),
  reclaim: (op, n) => ({ fn: 'step_reclaim', args: [mm(n, op.mm), op.addr] }),
  evict: (op, n) => ({ fn: 'step_evict', args: [file(n, op.file), op.index] }),
  migrate: (op, n) => ({ fn: 'step_migrate', args: [mm(n, op.mm), op.addr] }),
  numa_scan: (op, n) => ({ fn: 'step_numa', args: [mm(n, op.mm), op.addr, op.pages] }),
  swapoff: () => ({ fn: 'step_swapoff', args: [] }),
  uffd_poison: (op, n) => ({ fn: 'step_uffd_poison', args: [mm(n, op.mm), op.addr, op.pages] }),
  madv_hwpoison: (op, n) => ({ fn: 'step_madv_hwpoison', args: [mm(n, op.mm), op.addr, op.pages] }),
  madv_guard_install: (op, n) => ({ fn: 'step_guard_install', args: [mm(n, op.mm), op.addr, op.pages] }),
  madv_guard_remove: (op, n) => ({ fn: 'step_guard_remove', args: [mm(n, op.mm), op.addr, op.pages] }),
  // a swap read error cannot be forced from user space (docs/kernel-check.md)
  swap_error: () => notInDriver('a swap read error (swap_error)'),
  uffd_copy: (op, n) => ({ fn: 'step_uffd_copy', args: [mm(n, op.mm), op.addr, op.pages, op.value, fillMode('UFFDIO_COPY', op)] }),
  uffd_zeropage: (op, n) => ({ fn: 'step_uffd_zeropage', args: [mm(n, op.mm), op.addr, op.pages, fillMode('UFFDIO_ZEROPAGE', op)] }),
  uffd_continue: (op, n) => ({ fn: 'step_uffd_continue', args: [mm(n, op.mm), op.addr, op.pages, fillMode('UFFDIO_CONTINUE', op)] }),
  uffd_wake: (op, n) => ({ fn: 'step_uffd_wake', args: [mm(n, op.mm), op.addr, op.pages] }),
  uffd_move: (op, n) => ({ fn: 'step_uffd_move', args: [mm(n, op.mm), op.addr, op.src, op.pages, moveMode(op)] }),
  pagemap_scan: (op, n) => ({ fn: 'step_scan', args: [mm(n, op.mm), op.addr, op.pages, scanFlags(op)] }),
  // without CONFIG_GUP_TEST the driver pins through io_uring fixed buffers (ptelab_selftest.h pt_pin)
  pin: (op, n) => ({ fn: 'step_pin', args: [mm(n, op.mm), op.addr] }),
  unpin: (op, n) => ({ fn: 'step_unpin', args: [mm(n, op.mm), op.addr] }),
  // MADV_COLLAPSE is not in the C driver yet
  collapse: () => notInDriver('a THP collapse (collapse)'),
};

/** UFFDIO_REGISTER_MODE_* as the driver names them. */
const MODE_C: { readonly [M in UffdMode]: string } = { missing: 'PT_MODE_MISSING', wp: 'PT_MODE_WP', minor: 'PT_MODE_MINOR' };

/**
 * The mode bits of UFFDIO_COPY / ZEROPAGE / CONTINUE (include/uapi/linux/userfaultfd.h): DONTWAKE is bit 0 and
 * MODE_WP bit 1 in all three; ZEROPAGE has no MODE_WP, and the bit is passed as the scenario asks so that the
 * kernel answers for itself (EINVAL).
 */
function fillMode(ioctl: string, op: { readonly wp: boolean; readonly dontwake: boolean }): string {
  const bits = [op.dontwake ? `${ioctl}_MODE_DONTWAKE` : '', op.wp ? (ioctl === 'UFFDIO_ZEROPAGE' ? '(1 << 1)' : `${ioctl}_MODE_WP`) : ''];
  return bits.filter(Boolean).join(' | ') || '0';
}

/** UFFDIO_MOVE_MODE_DONTWAKE is bit 0, ALLOW_SRC_HOLES bit 1 (include/uapi/linux/userfaultfd.h, v6.8). */
function moveMode(op: { readonly allowSrcHoles: boolean; readonly dontwake: boolean }): string {
  const bits = [op.dontwake ? 'UFFDIO_MOVE_MODE_DONTWAKE' : '', op.allowSrcHoles ? 'UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES' : ''];
  return bits.filter(Boolean).join(' | ') || '0';
}

/** PM_SCAN_WP_MATCHING is bit 0, PM_SCAN_CHECK_WPASYNC bit 1 (include/uapi/linux/fs.h, v6.7). */
function scanFlags(op: { readonly wp: boolean; readonly check: boolean }): string {
  const bits = [op.wp ? 'PM_SCAN_WP_MATCHING' : '', op.check ? 'PM_SCAN_CHECK_WPASYNC' : ''];
  return bits.filter(Boolean).join(' | ') || '0';
}

function notInDriver(what: string): never {
  throw unsupported(`${what} has no step in the C driver (ptelab_selftest.h)`);
}

/** Declarations take no expectation argument in the driver (they cannot fail in a way a scenario states). */
const NO_EXPECT: ReadonlySet<Op['op']> = new Set(['file', 'mm']);

function emitOp(op: Op, n: Names): { fn: string; args: readonly (string | number)[] } {
  const call = (EMITTERS[op.op] as Emitter<Op['op']>)(op as never, n);
  if (!('uffd' in op) || op.uffd === undefined) return call;
  // a step through a named userfaultfd (`uffd NAME`, `via NAME`): the mm argument (always the first of a userfaultfd
  // step) carries the driver's context slot, PT_VIA(MM_A, UFFD_NAME)
  const slot = n.uffds.get(op.uffd);
  if (slot === undefined) throw new SelftestError(`userfaultfd '${op.uffd}' is used before it is opened`);
  const [first, ...rest] = call.args;
  return { fn: call.fn, args: [`PT_VIA(${first}, ${slot})`, ...rest] };
}

export function expectC(e: Expect | undefined): string {
  if (!e) return 'EXPECT_NONE';
  switch (e.type) {
    case 'value':
      return `EXPECT_VALUE(${e.value})`;
    case 'ok':
      return 'EXPECT_OK';
    case 'userfault':
      return e.mode === 'wp' ? 'EXPECT_USERFAULT_WP' : e.mode === 'minor' ? 'EXPECT_USERFAULT_MINOR' : 'EXPECT_USERFAULT_MISSING';
    case 'ioctls':
      return `EXPECT_IOCTLS(${e.ioctls.length === 0 ? '0' : e.ioctls.map((i) => `(1ULL << _${UFFD_RANGE_IOCTLS[i].kernel})`).join(' | ')})`;
    case 'sigbus':
      return 'EXPECT_SIGBUS';
    case 'sigsegv':
      return 'EXPECT_SIGSEGV';
    case 'error':
      return `EXPECT_ERRNO(${e.errno})`;
    case 'pagemap':
      return `EXPECT_PAGEMAP(${e.uffd_wp ? 1 : 0})`;
    case 'hwpoison':
      return 'EXPECT_HWPOISON';
    case 'hang':
      return 'EXPECT_HANG';
    case 'written':
      return `EXPECT_WRITTEN(${cString(e.pages.length ? e.pages.join(', ') : 'none')})`;
    case 'guard':
      return `EXPECT_GUARD(${e.guard ? 1 : 0})`;
  }
}

/** The driver's name of each feature a scenario can ask for (UFFD_FEATURES in contract/table.ts). */
const FEATURE_C: { readonly [F in UffdFeature]: string } = {
  event_fork: 'PT_EVENT_FORK',
  wp_unpopulated: 'PT_WP_UNPOPULATED',
  sigbus: 'PT_SIGBUS_FEATURE',
  move: 'PT_MOVE_FEATURE',
  event_remap: 'PT_EVENT_REMAP',
  wp_async: 'PT_WP_ASYNC',
};

/** A C string literal: printable ASCII as is, everything else as octal escapes of its UTF-8 bytes. */
export function cString(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (b >= 0x20 && b < 0x7f && c !== '?') out += c; // '?' escaped: no trigraphs
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

function comment(s: string): string {
  return s.replace(/\*\//g, '* /');
}

/** The scenario's names (mms, including fork children; files) as C enumerators. */
function collectNames(s: Scenario): Names {
  const mms = new Map<string, string>();
  const files = new Map<string, { id: string; pages: number }>();
  const uffds = new Map<string, string>();
  for (const { op } of s.steps) {
    if (op.op === 'uffd_open' && op.uffd !== undefined && !uffds.has(op.uffd)) uffds.set(op.uffd, `UFFD_${op.uffd}`);
    if (op.op === 'mm') mms.set(op.name, `MM_${op.name}`);
    else if (op.op === 'fork') mms.set(op.child, `MM_${op.child}`);
    else if (op.op === 'file') {
      // a huge shmem file's folios are HPAGE_PMD_NR pages on a real kernel, 2 in the model, and huge=always is a
      // sysfs or mount setting: the driver's memfd could not make the scenario's blocks
      if (op.huge) throw unsupported(`scenario "${s.name}": a huge shmem file ('file ${op.name} pages ${op.pages} huge') has no step in the C driver yet`);
      files.set(op.name, { id: `FILE_${op.name}`, pages: op.pages });
    }
  }
  if (mms.size > MAX_MMS) throw new SelftestError(`scenario "${s.name}" has ${mms.size} mms; the C driver runs at most ${MAX_MMS}`);
  if (files.size > MAX_FILES) throw new SelftestError(`scenario "${s.name}" has ${files.size} files; the C driver has at most ${MAX_FILES}`);
  if (uffds.size > MAX_NAMED_UFFDS) throw unsupported(`scenario "${s.name}" names ${uffds.size} userfaultfds; the C driver holds at most ${MAX_NAMED_UFFDS} besides the first`);
  return { mms, files, uffds, hugetlb: isHugetlbScenario(s) };
}

/**
 * Whether the scenario runs at the huge page's scale: it has a hugetlbfs file. The driver then maps every model
 * page as one huge page (MFD_HUGETLB memfds), so a base-page VMA beside it (anon, a shmem file) would be a 2 MiB
 * one that means something else; such a mix is left out.
 */
function isHugetlbScenario(s: Scenario): boolean {
  const files = s.steps.flatMap(({ op }) => (op.op === 'file' ? [op] : []));
  if (!files.some((f) => f.hugetlb)) return false;
  const shmem = files.find((f) => !f.hugetlb);
  if (shmem) throw unsupported(`scenario "${s.name}": a shmem file ('${shmem.name}') beside a hugetlbfs file: the C driver runs a hugetlb scenario with every page a huge page`);
  if (s.steps.some(({ op }) => op.op === 'mmap' && op.vma.type === 'anon'))
    throw unsupported(`scenario "${s.name}": anon memory beside a hugetlbfs file: the C driver runs a hugetlb scenario with every page a huge page`);
  return true;
}

/**
 * Huge pages a hugetlb scenario can hold at once, with a margin: the files' pages (the page cache), and for every mm
 * (fork children included) a private copy of every page it maps or moves privately (a COW, a fault in a private
 * mapping, an UFFDIO_COPY there), plus 2 (hugetlb_wp allocates the copy before it drops the old folio). 0 for a
 * scenario without a hugetlbfs file.
 */
export function hugePagesNeeded(s: Scenario): number {
  let files = 0;
  let mms = 0;
  let privatePages = 0;
  for (const { op } of s.steps) {
    if (op.op === 'file' && op.hugetlb) files += op.pages;
    else if (op.op === 'mm' || op.op === 'fork') mms++;
    else if (op.op === 'mmap' && op.vma.type === 'file' && !op.vma.shared) privatePages += op.vma.pages;
    else if (op.op === 'mremap') privatePages += op.pages; // a moved private range can be faulted again at both ends
  }
  return files === 0 ? 0 : files + mms * privatePages + 2;
}

const SWAP_OPS: ReadonlySet<Op['op']> = new Set(['evict', 'reclaim', 'madv_pageout', 'swapoff']);

export interface SelftestProgram {
  /** The program's name (the .c file without its extension): `NN-slug`. */
  readonly name: string;
  readonly source: string;
}

/** `ptelab selftest`'s file name for a scenario: a two-digit index (unique within one run) and a slug of its name. */
export function programName(index: number, scenario: Scenario): string {
  const slug = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48).replace(/-$/, '');
  return `${String(index + 1).padStart(2, '0')}-${slug || 'scenario'}`;
}

/** The C program for one scenario. `origin` says where it came from (a file, or an explore run). */
export function emitScenario(scenario: Scenario, name: string, origin: string): SelftestProgram {
  const n = collectNames(scenario);
  const lines: string[] = [];
  lines.push('// SPDX-License-Identifier: MIT');
  lines.push('/*');
  lines.push(` * ${comment(scenario.name)}`);
  if (scenario.source) lines.push(` * from: ${comment(scenario.source)}`);
  const loc = scenario.steps[0]?.loc;
  const at = loc && loc.file === origin ? `${origin}:${loc.line}` : origin;
  lines.push(` * Written by \`ptelab selftest\` from ${comment(at)}; regenerate it rather than edit it.`);
  lines.push(' *');
  lines.push(' * Each step runs on the kernel and prints "# step N: TEXT -> kernel: OUTCOME; expected: EXPECT (VERDICT)";');
  lines.push(' * the test fails on an expectation the kernel contradicts, and is skipped when a kernel event could not');
  lines.push(' * be forced (the expectations after it are not run). Build with make, run as root with swap on; set');
  lines.push(' * PTELAB_SWAPFILE to a swapfile the test may turn off and on again when the scenario has a swapoff.');
  const hugePages = hugePagesNeeded(scenario);
  if (n.hugetlb) lines.push(` * Every page is a huge page: needs ${hugePages} free huge pages (raise vm.nr_hugepages), else it is skipped.`);
  lines.push(' */');
  lines.push('#include "ptelab_selftest.h"');
  lines.push('');
  if (n.mms.size > 0) lines.push(`enum { ${[...n.mms.values()].join(', ')} };`);
  if (n.files.size > 0) lines.push(`enum { ${[...n.files.values()].map((f) => f.id).join(', ')} };`);
  // the named userfaultfds' context slots in every worker (0 is each mm's first context)
  if (n.uffds.size > 0) lines.push(`enum { ${[...n.uffds.values()].map((u, i) => `${u} = ${i + 1}`).join(', ')} };`);
  if (n.mms.size > 0 || n.files.size > 0 || n.uffds.size > 0) lines.push('');
  lines.push('int main(void)');
  lines.push('{');
  lines.push('\tstruct pt_test t;');
  lines.push('');
  lines.push(`\tpt_init(&t, ${cString(scenario.name)}, ${scenario.steps.length});`);
  if (n.hugetlb) {
    lines.push('\t/* every model page is a huge page; the free huge pages the files and every private copy can need */');
    lines.push(`\tif (!pt_hugetlb(&t, ${hugePages}))`);
    lines.push('\t\treturn KSFT_SKIP;');
  }
  for (const f of n.files.values()) lines.push(`\tpt_file(&t, ${f.id}, ${f.pages});`);
  const needsSwap = scenario.steps.some((s) => SWAP_OPS.has(s.op.op));
  const needsSwapfile = scenario.steps.some((s) => s.op.op === 'swapoff');
  const needs = [needsSwap ? 'PT_NEEDS_SWAP' : '', needsSwapfile ? 'PT_NEEDS_SWAPFILE' : ''].filter(Boolean).join(' | ') || '0';
  lines.push(`\tif (!pt_require(&t, ${needs}))`);
  lines.push('\t\treturn KSFT_SKIP;');
  lines.push('');
  scenario.steps.forEach((step, i) => lines.push(emitStep(step, i, n)));
  lines.push('');
  lines.push('\treturn pt_finish(&t);');
  lines.push('}');
  return { name, source: lines.join('\n') + '\n' };
}

function emitStep(step: Step, index: number, n: Names): string {
  const { fn, args } = emitOp(step.op, n);
  const text = formatStep(step.op);
  const all = ['&t', index, cString(text), ...args, ...(NO_EXPECT.has(step.op.op) ? [] : [expectC(step.expect)])];
  return `\t${fn}(${all.join(', ')});`;
}


/** The Makefile of a selftest directory, in the kselftest manner (TEST_GEN_PROGS, run_tests). */
export function emitMakefile(programs: readonly string[]): string {
  return [
    '# SPDX-License-Identifier: MIT',
    '# Written by `ptelab selftest`. `make` builds every test, `make run_tests` runs them (as root, with swap on).',
    'CFLAGS ?= -O2',
    'CFLAGS += -Wall -Wextra -Werror',
    'LDLIBS += -pthread',
    '',
    'TEST_GEN_PROGS := \\',
    ...programs.map((p, i) => `\t${p}${i === programs.length - 1 ? '' : ' \\'}`),
    '',
    'all: $(TEST_GEN_PROGS)',
    '',
    '$(TEST_GEN_PROGS): %: %.c ptelab_selftest.h',
    '\t$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)',
    '',
    'run_tests: all',
    '\t@for t in $(TEST_GEN_PROGS); do ./$$t; done',
    '',
    'clean:',
    '\trm -f $(TEST_GEN_PROGS)',
    '',
    '.PHONY: all run_tests clean',
    '',
  ].join('\n');
}
