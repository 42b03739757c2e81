// harness-set.ts writes many harness programs as one; sharing a definition is only right when it is the same C down
// to everything it uses. Two programs here differ only in a constant that a function's text does not show.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARNESS_PRELUDE } from './harness.js';
import { harnessSet } from './harness-set.js';
import { HAVE_GCC, run, tempDir } from './helpers.js';

const NO_GCC = HAVE_GCC ? '' : ' (skipped: gcc not found on PATH)';

/** A program whose main() returns 0 when f() sees K = k. */
function program(k: number): string {
  return `${HARNESS_PRELUDE}\n/* K is ${k} */\n#define K ${k}\n\nstatic inline int f(void)\n{\n\treturn K;\n}\n\nint main(void)\n{\n\treturn f() == ${k} ? 0 : 1;\n}\n`;
}

describe('harness set', () => {
  const set = harnessSet([program(1), program(2), program(1)], [[0, 1, 2]]);
  const unit = set.units[0]!;

  it('writes what two programs share once, and a definition whose dependencies differ twice', () => {
    expect(set.units.length).toBe(1);
    expect(unit.match(/^#define K_[0-9a-f]{12} /gm)?.length).toBe(2);
    // f's text is the same in both programs, but its K is not: two f's
    expect(unit.match(/^static inline int f_[0-9a-f]{12}\(void\)$/gm)?.length).toBe(2);
    // programs 0 and 2 are the same C: one main
    expect(unit.match(/^int main_[0-9a-f]{12}\(void\)$/gm)?.length).toBe(2);
    expect(set.main).toContain(`static int (*const programs[3])(void)`);
    expect(unit).not.toContain('K is');
  });

  it('refuses a program that defines a name twice', () => {
    expect(() => harnessSet([`${HARNESS_PRELUDE}\n#define K 1\n#define K 1\n`], [[0]])).toThrow('defines K twice');
  });

  it.skipIf(!HAVE_GCC)(`compiles, and each program still sees its own K${NO_GCC}`, () => {
    const dir = tempDir('harness-set');
    fs.writeFileSync(path.join(dir, 'u0.c'), unit);
    fs.writeFileSync(path.join(dir, 'main.c'), set.main);
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, `in${i}.txt`), '');
    const cc = run('gcc', ['-std=gnu11', '-O0', '-Wall', '-Werror', '-o', 'harness', 'main.c', 'u0.c'], { cwd: dir });
    expect(cc.stderr).toBe('');
    const r = run(path.join(dir, 'harness'), ['3'], { cwd: dir });
    expect(r.stdout).toBe('#0\n#1\n#2\n');
    expect(r.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
