// The repository stands on its own: no tracked file (generated/ included) names an absolute path of one machine,
// the shared background folder, or the background file of kernel facts (test/project/standalone.ts has the rules).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/repo.js';
import { scanFiles, scanText, trackedFiles, walkFiles } from './standalone.js';

// Planted text is assembled from pieces so that this file itself stays clean under the scan.
const j = (...parts: string[]): string => parts.join('');

describe('the project stands on its own', () => {
  it('no tracked file holds a machine path, a shared-folder reference or a kernel facts file citation', () => {
    const { files } = trackedFiles(repoRoot);
    // the scan really covers the tree: sources, docs, examples and the generated output
    expect(files.length).toBeGreaterThan(300);
    for (const f of ['README.md', 'docs/sources.md', 'examples/scenarios/1-seed-thread.scn', 'docs/matrix.json']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => f.startsWith('generated/'))).toBe(true);
    const bad = scanFiles(repoRoot, files).map((x) => `${x.file}:${x.line}:${x.col}: ${x.rule}: ${x.match} -- ${x.fix}`);
    expect(bad).toEqual([]);
  });

  it('docs/sources.md has the anchors that files cite', () => {
    const text = fs.readFileSync(path.join(repoRoot, 'docs/sources.md'), 'utf8');
    const anchors = new Set([...text.matchAll(/<a id="(s\d+)"><\/a>/g)].map((m) => m[1]!));
    const headings = [...text.matchAll(/^## (S\d+): /gm)].map((m) => m[1]!.toLowerCase());
    expect(headings.length).toBeGreaterThan(20);
    expect([...anchors].sort()).toEqual([...headings].sort());
    // every "sources Sn" / "docs/sources.md Sn" / "sources.md#sn" citation in a tracked file names an existing fact
    const cited = new Set<string>();
    for (const f of trackedFiles(repoRoot).files) {
      if (!/\.(md|pte|scn|ts)$/.test(f) || f.startsWith('generated/')) continue;
      const t = fs.readFileSync(path.join(repoRoot, f), 'utf8');
      for (const m of t.matchAll(/sources(?:\.md)?(?:#(s\d+)|[ \]]+S(\d+)(?:-S(\d+))?)/g)) {
        if (m[1]) cited.add(m[1]);
        if (m[2]) cited.add(`s${m[2]}`);
        if (m[3]) cited.add(`s${m[3]}`);
      }
    }
    expect(cited.size).toBeGreaterThan(10);
    expect([...cited].filter((c) => !anchors.has(c))).toEqual([]);
  });

  it('catches planted references and leaves kernel interfaces and relative paths alone', () => {
    const planted = [
      j('// see /', 'work/', 'sha', 'red/design.md'),
      j('$ ptelab explore --out /', 'tmp/', 'cx spec.pte'),
      j('cp x /', 'home/', 'alice/notes.txt'),
      j('"root": "/', 'root/', 'ptelab"'),
      j('file:///', 'Users/', 'bob/ptelab/README.md'),
      j('"path": "C:', '\\\\', 'Users\\\\bob\\\\ptelab"'),
      j('built in D:', '\\', 'src\\ptelab'),
      j('// background: ../', 'sha', 'red/style.md'),
      j('(see ', 'shared/', 'lkml-2020-12-03.txt)'),
      j('// kernel', '-facts §6d'),
      j('KERNEL', '_FACTS.md'),
    ];
    const found = scanText('planted.txt', planted.join('\n'));
    // one finding per planted line (the first line is both a machine path and a shared-folder reference)
    expect([...new Set(found.map((f) => f.line))]).toEqual(planted.map((_, i) => i + 1));
    expect(found.filter((f) => f.line === 1).map((f) => f.rule).sort()).toEqual(['machine-path', 'shared-folder']);
    expect(found.find((f) => f.line === 2)).toMatchObject({ rule: 'machine-path', col: planted[1]!.indexOf('/') + 1 });
    expect(found.filter((f) => f.line >= 10).map((f) => f.rule)).toEqual(['facts-file', 'facts-file']);

    const legitimate = [
      'A pagemap 0 -> wp          // /proc/self/pagemap bit 57 (PM_UFFD_WP)',
      'echo never > /sys/kernel/mm/transparent_hugepage/enabled; cat /dev/null; /proc/pid/pagemap',
      '#!/usr/bin/env node',
      'node dist/bin/ptelab.js explore --out cx examples/proposals/shmem-wp-naive.pte',
      'import { x } from "../work/thing.js"; see docs/work/notes and src/home/page.ts',
      'the /tmp directory; os.tmpdir(); a shared/private mapping; vma.shared && vma.writable; MAP_SHARED/MAP_PRIVATE',
      'https://lore.kernel.org/r/20221214200453.1772655-2-peterx@redhat.com; docs/sources.md#s14; sources S7',
      "const re = /[a-z]:\\d+/; case 'x': return '\\n';",
    ];
    expect(scanText('legit.txt', legitimate.join('\n'))).toEqual([]);
  });

  it('without git it walks the directory, skipping dependencies and build output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptelab-standalone-'));
    try {
      fs.mkdirSync(path.join(dir, 'docs'));
      fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'docs', 'a.md'), j('see /', 'work/', 'x\n'));
      fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'b.md'), j('see /', 'work/', 'y\n'));
      fs.writeFileSync(path.join(dir, 'dist', 'c.js'), j('// /', 'home/', 'z\n'));
      fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([0x2f, 0x68, 0x6f, 0x6d, 0x65, 0x2f, 0x78, 0x00]));
      expect(walkFiles(dir)).toEqual(['bin.dat', 'docs/a.md']);
      const t = trackedFiles(dir);
      expect(t.source).toBe('walk');
      expect(scanFiles(dir, t.files).map((f) => `${f.file}:${f.line}:${f.rule}`)).toEqual(['docs/a.md:1:machine-path']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
