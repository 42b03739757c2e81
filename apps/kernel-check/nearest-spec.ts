// The bundled kernel spec nearest the running kernel: same architecture, the newest version not above the
// kernel's (a kernel is checked against what its predecessors promised), else the oldest above it.
import * as path from 'node:path';

export interface SpecVersion {
  readonly file: string;
  readonly arch: string;
  readonly version: [number, number];
}

/** examples/x86_64-v6.17.pte -> { arch: x86_64, version: [6, 17] } */
export function specVersion(file: string): SpecVersion | undefined {
  const m = /^(x86_64|arm64)-v(\d+)\.(\d+)\.pte$/.exec(path.basename(file));
  return m ? { file, arch: m[1]!, version: [Number(m[2]), Number(m[3])] } : undefined;
}

/** uname -m spelling -> the specs' spelling */
export function specArch(machine: string): string {
  if (machine === 'aarch64' || machine === 'arm64') return 'arm64';
  if (machine === 'x86_64' || machine === 'x64' || machine === 'amd64') return 'x86_64';
  return machine;
}

const cmp = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];

export function nearestSpec(files: readonly string[], machine: string, kernel: [number, number]): SpecVersion | undefined {
  const arch = specArch(machine);
  const specs = files.map(specVersion).filter((s): s is SpecVersion => s !== undefined && s.arch === arch);
  const below = specs.filter((s) => cmp(s.version, kernel) <= 0).sort((a, b) => cmp(b.version, a.version));
  if (below.length > 0) return below[0];
  return specs.sort((a, b) => cmp(a.version, b.version))[0];
}
