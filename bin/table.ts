// Every ptelab command as data: its usage, every option explained, and how to load it. Only this table is loaded
// at start-up; a command's own module (and what it needs: TypeScript, ts-morph, prettier...) is imported when the
// command runs, so `decode` does not pay for `build`.
import { DEFAULT_EXPLORE_DEPTH } from '../core/explore-depth.js';
import type { CliIo, CommandArgs } from './io.js';

export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** The value's placeholder in help (--out DIR). */
  readonly value?: string;
  readonly help: string;
}

export type CommandRun = (args: CommandArgs, io: CliIo) => number | Promise<number>;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** What the positionals are and what the exit codes mean for this command, for `ptelab help CMD`. */
  readonly details: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly load: () => Promise<CommandRun>;
}

const json = (what: string): OptionSpec => ({ type: 'boolean', help: `print ${what} as JSON instead of text` });
const level: OptionSpec = { type: 'string', value: 'LEVEL', help: 'the page-table level: pte (default), pmd, huge_pte (docs/language.md, "Levels")' };
const EXITS = 'exit: 0 ok, 1 findings, 2 usage or I/O error';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'check',
    summary: 'exact diagnostics and the swap budget of each spec',
    usage: 'ptelab check [--json] SPEC...',
    details: `SPEC: a .pte file, or a bundled spec by name (x86_64-v6.17).\n${EXITS} (1: a spec has errors).`,
    options: { json: json('every spec\'s result and diagnostics') },
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  {
    name: 'build',
    summary: 'generate the TS simulation module, layout SVG and kernel patch sketch',
    usage: "ptelab build [--out DIR] [--author 'Name <email>'] [--kernel-tree DIR] SPEC...",
    details: 'Writes DIR/<spec>/ for every SPEC; only files ptelab generated are ever overwritten. Without --out, a bundled\n' +
      `spec goes to ./generated/<spec>/ and any other to ./<stem>/ in the working directory.\n${EXITS}.`,
    options: {
      out: { type: 'string', value: 'DIR', help: 'output folder' },
      author: { type: 'string', value: "'Name <email>'", help: "the patch series' author (default: git's user.name and user.email)" },
      'kernel-tree': { type: 'string', value: 'DIR', help: 'make the series against this kernel tree, so that it applies there (docs/patch.md)' },
    },
    load: async () => (await import('./commands/build.js')).buildCommand,
  },
  {
    name: 'run',
    summary: 'run scenarios on a spec, compared step by step with the oracle',
    usage: 'ptelab run [--json] [--verbose] [--skip OPS] SPEC SCENARIO...',
    details: `SCENARIO: a .scn file, or a folder (every .scn in it).\n${EXITS} (1: a scenario failed).`,
    options: {
      json: json('every scenario\'s steps'),
      verbose: { type: 'boolean', help: 'print every step with the handler cases it ran, not only failures' },
      skip: { type: 'string', value: 'OPS', help: 'leave out steps of these ops (comma list, e.g. pagemap); step numbers still count them' },
    },
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  {
    name: 'explore',
    summary: 'every op sequence up to a depth, breadth-first; the shortest counterexample',
    usage:
      'ptelab explore [--world FILE|DIR] [--only NAME] [--depth N] [--max-states N] [--max-memory SIZE] [--ops LIST] ' +
      '[--max-mms N] [--workers N] [--no-symmetry] [--out DIR] [--progress] [--json] SPEC',
    details: 'exit: 0 every world complete and clean, 1 a counterexample, 2 usage or I/O error,\n' +
      '3 incomplete: no counterexample, but --max-states or --max-memory stopped the search before --depth, or Ctrl-C\n' +
      'interrupted it (not a proof of none).',
    options: {
      world: { type: 'string', value: 'FILE|DIR', help: 'the worlds to explore: a .scn file or a folder of them (default: the bundled worlds)' },
      only: { type: 'string', value: 'NAME', help: 'explore only the world (scenario) of that name' },
      depth: { type: 'string', value: 'N', help: `longest op sequence after the setup (default ${DEFAULT_EXPLORE_DEPTH})` },
      'max-states': { type: 'string', value: 'N', help: 'stop a world after this many distinct states (then exit 3 if nothing was found)' },
      'max-memory': { type: 'string', value: 'SIZE', help: 'do not start a level that would take the process beyond SIZE (e.g. 2G, 512M)' },
      ops: { type: 'string', value: 'LIST', help: 'the op alphabet, comma separated (default: all ops)' },
      'max-mms': { type: 'string', value: 'N', help: 'most processes alive at once (fork)' },
      workers: { type: 'string', value: 'N', help: 'worker threads per level (default 1)' },
      'no-symmetry': { type: 'boolean', help: 'do not merge states that differ only by pfn or swap-offset numbering' },
      out: { type: 'string', value: 'DIR', help: 'write each counterexample into DIR as a scenario file and as a C reproducer for a real kernel' },
      progress: { type: 'boolean', help: 'print progress on stderr even when it is not a terminal' },
      json: json('the verdicts and statistics'),
    },
    load: async () => (await import('./commands/explore.js')).exploreCommand,
  },
  {
    name: 'decode',
    summary: 'which kind each PTE value is, and its fields',
    usage: 'ptelab decode [--json] [--level LEVEL] SPEC VALUE...|-',
    details: `VALUE: 0x..., 0b... or decimal ('_' allowed); '-' reads one value per line from stdin.\n` +
      `${EXITS} (1: a value is no kind of the spec).`,
    options: { json: json('one JSON line per value'), level },
    load: async () => (await import('./commands/decode.js')).decodeCommand,
  },
  {
    name: 'encode',
    summary: 'the PTE value of a kind with the given fields',
    usage: 'ptelab encode [--json] [--level LEVEL] SPEC KIND [FIELD=VALUE...]',
    details: `${EXITS}; an unknown kind or field, or a value that does not fit, is a usage error (2).`,
    options: { json: json('the value'), level },
    load: async () => (await import('./commands/encode.js')).encodeCommand,
  },
  {
    name: 'diff',
    summary: 'two designs compared exactly, section by section',
    usage: 'ptelab diff [--format text|markdown|json] [--behaviour] A.pte B.pte',
    details: 'exit: 0 no differences, 1 differences (or a spec with errors), 2 usage or I/O error.',
    options: {
      format: { type: 'string', value: 'FMT', help: 'text (default), markdown or json' },
      behaviour: { type: 'boolean', help: 'also run every scenario on both and compare the outcomes' },
    },
    load: async () => (await import('./commands/diff.js')).diffCommand,
  },
  {
    name: 'show',
    summary: 'bit rulers of every format and kind, for a terminal',
    usage: 'ptelab show [--kind KIND] [--level LEVEL] SPEC',
    details: `${EXITS}; an unknown kind is a usage error (2).`,
    options: { kind: { type: 'string', value: 'KIND', help: 'show only this kind and its format' }, level },
    load: async () => (await import('./commands/show.js')).showCommand,
  },
  {
    name: 'fmt',
    summary: 'format specs in canonical style, in place',
    usage: 'ptelab fmt [--check] FILE|DIR...',
    details: `A folder stands for every .pte file under it.\n${EXITS} (1: syntax errors, or --check found unformatted files).`,
    options: { check: { type: 'boolean', help: 'write nothing; list the files that are not formatted' } },
    load: async () => (await import('./commands/fmt.js')).fmtCommand,
  },
  {
    name: 'matrix',
    summary: 'every bundled scenario and world on every bundled spec and proposal',
    usage: 'ptelab matrix [--json] [--out DIR]',
    details: 'Writes matrix.md and matrix.json into DIR. exit: 0 written (failing cells are the matrix\'s findings), 2 usage or I/O error.',
    options: {
      json: json('the matrix'),
      out: { type: 'string', value: 'DIR', help: 'where to write matrix.md and matrix.json (default: the working directory)' },
    },
    load: async () => (await import('./commands/matrix.js')).matrixCommand,
  },
  {
    name: 'report',
    summary: 'a static HTML page per spec',
    usage: 'ptelab report [--depth N] [--no-explore] -o DIR SPEC...',
    details: 'exit: 0 pages written, 1 written but a spec has errors, 2 usage or I/O error.',
    options: {
      out: { type: 'string', short: 'o', value: 'DIR', help: 'the folder for the pages (required)' },
      depth: { type: 'string', value: 'N', help: 'explore depth for each spec\'s page (1 to 64)' },
      'no-explore': { type: 'boolean', help: 'leave exploration out of the pages' },
    },
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  {
    name: 'new',
    summary: 'a proposal skeleton that extends a spec',
    usage: 'ptelab new --extends SPEC NAME',
    details: 'Writes NAME.pte in the working directory (never over an existing file); it checks, builds and runs as written.\n' +
      'SPEC: a bundled spec by name (x86_64-v6.17) or a path. exit: 0 written, 2 usage or I/O error.',
    options: { extends: { type: 'string', value: 'SPEC', help: 'the spec the proposal changes (required)' } },
    load: async () => (await import('./commands/new.js')).newCommand,
  },
  {
    name: 'selftest',
    summary: 'scenarios as C programs for the running kernel (kselftest style)',
    usage: 'ptelab selftest [-o DIR] SCENARIO...',
    details: `SCENARIO: a .scn file, or a folder (every .scn in it). Writes one C program per scenario, ptelab_selftest.h and a Makefile (docs/kernel-check.md).\n${EXITS}.`,
    options: { out: { type: 'string', short: 'o', value: 'DIR', help: 'the folder for the programs (default: ./ptelab-selftests)' } },
    load: async () => (await import('./commands/selftest.js')).selftestCommand,
  },
  {
    name: 'kernel-check',
    summary: 'run scenarios on this machine\'s kernel and judge every step against a spec',
    usage: 'ptelab kernel-check [--spec SPEC] [--json] [--all] [--keep DIR] [SCENARIO...]',
    details: 'Needs root (or unprivileged userfaultfd), gcc and swap on a file; sets up and always removes its own swapfile (docs/kernel-check.md).\n' +
      'SCENARIO: .scn files or folders (default: the bundled ones). exit: 0 no difference, 1 a difference, 2 usage or I/O error, 4 this machine cannot run the check.',
    options: {
      spec: { type: 'string', value: 'SPEC', help: 'judge against this spec (default: the bundled spec nearest the running kernel)' },
      json: json('the table'),
      all: { type: 'boolean', help: 'list every step, not only differences and steps not run' },
      keep: { type: 'string', value: 'DIR', help: 'keep the generated programs and their output in DIR' },
    },
    load: async () => (await import('./commands/kernel-check.js')).kernelCheckCommand,
  },
  {
    name: 'lsp',
    summary: 'the language server for editors (LSP over stdio)',
    usage: 'ptelab lsp [--stdio]',
    details: 'Speaks the Language Server Protocol on stdin/stdout until the editor sends exit (docs/editor.md). exit: 0 after shutdown and exit, 1 otherwise.',
    options: { stdio: { type: 'boolean', help: 'the transport (the only one; editors pass it)' } },
    load: async () => (await import('./commands/lsp.js')).lspCommand,
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
