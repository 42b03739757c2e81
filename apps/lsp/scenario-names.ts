// Names in a scenario file: an mm or a file is declared by `mm NAME`, `file NAME` or `MM fork NAME` and used by the
// statements after it, within one scenario.
import type { IToken } from 'chevrotain';

export interface ScenarioName {
  readonly what: 'mm' | 'file';
  readonly token: IToken;
}

/** Every name declared in the scenario that holds token `index`, in order. */
export function namesInScenario(tokens: readonly IToken[], index: number): ScenarioName[] {
  let start = index;
  while (start > 0 && tokens[start]!.tokenType.name !== 'Kw_scenario') start--;
  const out: ScenarioName[] = [];
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i > start && t.tokenType.name === 'Kw_scenario') break;
    const next = tokens[i + 1];
    if (!next || next.tokenType.name !== 'Identifier') continue;
    if (t.tokenType.name === 'Kw_mm' || t.tokenType.name === 'Kw_fork') out.push({ what: 'mm', token: next });
    else if (t.tokenType.name === 'Kw_file') out.push({ what: 'file', token: next });
  }
  return out;
}

export function scenarioDeclaration(tokens: readonly IToken[], index: number): ScenarioName | undefined {
  const name = tokens[index]?.image;
  return namesInScenario(tokens, index).find((n) => n.token.image === name);
}
