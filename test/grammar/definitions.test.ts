// The spec lexer and parser skip Chevrotain's checks of their definitions when the CLI starts (grammar/lexer.ts,
// grammar/parser.ts); here they run: no definition error, and the checked parser has the same grammar.
import { describe, expect, it } from 'vitest';
import { Lexer } from '../../core/chevrotain.js';
import { allTokens, SPEC_LEXER_CONFIG } from '../../grammar/lexer.js';
import { SpecParser, specParser } from '../../grammar/parser.js';

describe('the grammar definitions', () => {
  it('the tokens pass the lexer checks', () => {
    const lexer = new Lexer(allTokens, { ...SPEC_LEXER_CONFIG, skipValidations: false, deferDefinitionErrorsHandling: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('the rules pass the parser checks (performSelfAnalysis throws on a definition error) and are the ones in use', () => {
    let checked: SpecParser | undefined;
    expect(() => (checked = new SpecParser(true))).not.toThrow();
    expect(checked!.getSerializedGastProductions()).toEqual(specParser().getSerializedGastProductions());
  });
});
