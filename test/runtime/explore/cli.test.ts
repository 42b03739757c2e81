// `ptelab explore`: exit codes (0 complete and clean, 1 counterexample, 3 incomplete, 2 usage), --json, --out with
// a counterexample file that `ptelab run` replays to the same failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../bin/main.js';
import type { CliIo } from '../../../bin/io.js';
import { repoRoot } from '../../helpers/repo.js';
import { NAIVE, SHMEM, hasNaive } from './helpers.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), isTTY: false, cwd: repoRoot };
  const code = await main(argv, io);
  return { code, out, err };
}

function tmpWorld(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-explore-'));
  const file = path.join(dir, 'world.scn');
  fs.writeFileSync(file, text);
  return file;
}

const V617 = path.join(repoRoot, 'examples/x86_64-v6.17.pte');

describe('ptelab explore', () => {
  it('exits 0 when every world is complete and clean, and says what it did', async () => {
    const r = await cli('explore', '--world', tmpWorld(SHMEM), '--depth', '3', V617);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ok {4}world "shmem shared" .*complete to depth 3, no counterexample/);
    expect(r.out).toMatch(/states\/s/);
    expect(r.out).toMatch(/1 world: 1 complete and clean, 0 incomplete, 0 with a counterexample/);
  });

  it('says what the explored steps exercised, and that a proposal\'s clean verdict says nothing about what they never created', async () => {
    const proposal = path.join(repoRoot, 'examples/proposals/free-swap-type.pte');
    // reads, writes and protect on a shmem page: present entries and uffd-wp markers are created, nothing is poisoned
    const ops = ['--ops', 'read,write,protect,dontneed'];
    const r = await cli('explore', '--json', '--world', tmpWorld(SHMEM), '--depth', '3', ...ops, proposal);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.coverage.created).toEqual(expect.arrayContaining(['none', 'present', 'pte_marker', 'pte_marker(PTE_MARKER_UFFD_WP)']));
    expect(j.coverage.never).toEqual(expect.arrayContaining(['hwpoison', 'pte_marker(PTE_MARKER_POISONED)']));
    expect(j.coverage.notExercised.kinds).toContain('hwpoison');
    expect(j.coverage.casesRan).toBeGreaterThan(0);
    expect(j.coverage.casesRan).toBeLessThan(j.coverage.casesTotal);
    const text = await cli('explore', '--world', tmpWorld(SHMEM), '--depth', '3', ...ops, proposal);
    expect(text.out).toMatch(/^coverage: \d+ of \d+ kinds and marker flags created \(never: .*hwpoison.*\); \d+ of \d+ handler cases ran \(by the explored steps\)$/m);
    expect(text.out).toMatch(/^verdict: clean, but kinds .*hwpoison.* never created: this verdict says nothing about them$/m);
  });

  it('exits 3 and says INCOMPLETE when --max-states is hit', async () => {
    const r = await cli('explore', '--world', tmpWorld(SHMEM), '--depth', '6', '--max-states', '30', V617);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/INCOMPLETE world "shmem shared".*NOT a proof of none/);
    expect(r.out).not.toMatch(/complete and clean, 0 incomplete/);
  });

  it('reports JSON with the verdict and the statistics', async () => {
    const r = await cli('explore', '--json', '--world', tmpWorld(SHMEM), '--depth', '2', '--ops', 'read,write,protect', V617);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.depth).toBe(2);
    expect(j.ops).toEqual(['read', 'write', 'protect']);
    expect(j.results[0].verdict).toBe('complete');
    expect(j.results[0].stats.states).toBeGreaterThan(1);
    expect(j.exitCode).toBe(0);
  });

  it('does not explore a world that needs a uffd feature the spec lacks (n/a, exit 0), and says why', async () => {
    const world = tmpWorld(`scenario "needs wp_unpopulated" {
  mm A { map anon at 0; uffd features wp_unpopulated; register 0 }
}
scenario "plain" {
  mm A { map anon at 0; uffd; register 0 }
}`);
    const v519 = path.join(repoRoot, 'examples/x86_64-v5.19.pte');
    const r = await cli('explore', '--world', world, '--depth', '2', v519);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/uffd features: UFFD_FEATURE_EVENT_FORK, UFFD_FEATURE_EVENT_REMAP, UFFD_FEATURE_SIGBUS \(not UFFD_FEATURE_MOVE, UFFD_FEATURE_WP_UNPOPULATED/);
    expect(r.out).toMatch(/n\/a {3}world "needs wp_unpopulated".*not applicable, not explored: .*UFFD_FEATURE_WP_UNPOPULATED/);
    expect(r.out).toMatch(/ok {4}world "plain"/);
    expect(r.out).toMatch(/2 worlds: 1 complete and clean, 0 incomplete, 0 with a counterexample, 1 not applicable/);
    const j = JSON.parse((await cli('explore', '--json', '--world', world, '--depth', '2', v519)).out);
    expect(j.results.map((x: { verdict: string }) => x.verdict)).toEqual(['n/a', 'complete']);
    expect(j.unsupported).toBe(1);
    // 6.17 has the feature: the same world is explored
    const r617 = await cli('explore', '--world', world, '--depth', '2', V617);
    expect(r617.out).toMatch(/ok {4}world "needs wp_unpopulated"/);
  });

  it('refuses bad options with exit 2', async () => {
    expect((await cli('explore', '--depth', 'x', V617)).code).toBe(2);
    expect((await cli('explore', '--ops', 'read,frobnicate', V617)).code).toBe(2);
    expect((await cli('explore')).code).toBe(2);
    expect((await cli('explore', '--world', tmpWorld(SHMEM), '--only', 'nope', V617)).code).toBe(2);
  });

  it.skipIf(!hasNaive)('exits 1 on a counterexample, writes it, and `ptelab run` replays it to the same failure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-cx-'));
    const spec = path.join(repoRoot, NAIVE);
    const r = await cli('explore', '--world', tmpWorld(SHMEM), '--depth', '4', '--out', dir, spec);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL {2}world "shmem shared".*counterexample, 2 ops after the setup/);
    expect(r.out).toMatch(/bad entry from: \w+ case #\d+ \(\w+\) at .*\.pte:\d+/);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.scn'));
    expect(files).toHaveLength(1);
    // ... and its C reproducer (docs/kernel-check.md), with the driver header and a Makefile
    const cName = files[0]!.replace(/\.scn$/, '.c');
    expect(fs.readdirSync(dir).sort()).toEqual(['Makefile', cName, files[0]!, 'ptelab_selftest.h'].sort());
    expect(fs.readFileSync(path.join(dir, cName), 'utf8')).toMatch(/step_write\(&t, \d+, "A write 0 = \d+", MM_A, 0, \d+, EXPECT_USERFAULT_WP\);/);
    const replay = await cli('run', spec, path.join(dir, files[0]!));
    expect(replay.code).toBe(1);
    const failure = /the spec gives ok, the v6.17 contract requires userfault wp/;
    expect(r.out).toMatch(failure);
    expect(replay.out).toMatch(failure);
    expect(replay.out).toMatch(/<-- first divergence/);
  });

  it('gives the same JSON results with --workers 2', async () => {
    const w = tmpWorld(SHMEM);
    const one = JSON.parse((await cli('explore', '--json', '--world', w, '--depth', '3', V617)).out);
    const two = JSON.parse((await cli('explore', '--json', '--world', w, '--depth', '3', '--workers', '2', V617)).out);
    expect(two.results[0].verdict).toBe(one.results[0].verdict);
    expect(two.results[0].stats.levels).toEqual(one.results[0].stats.levels);
  });
});
