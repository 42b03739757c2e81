// The ptelab language server (`ptelab lsp`, LSP over stdio) for specs (.pte) and scenario files (.scn). It is an
// application over the same services as the CLI: diagnostics come from compileSpec and the scenario parser (the
// codes and messages `ptelab check` prints), formatting from `ptelab fmt`'s formatters, pictures from `ptelab show`
// and `ptelab decode`. Documents are re-analysed as they are typed (after a short pause), from the editor's text.
import type { Readable, Writable } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatSpecText } from '../fmt/format.js';
import { formatScenarioText } from '../fmt/scenario.js';
import { completion } from './completion.js';
import { lspDiagnostic, uriToPath } from './convert.js';
import { definition } from './definition.js';
import { hover } from './hover.js';
import { documentSymbols } from './symbols.js';
import { Workspace, type Analysis } from './workspace.js';

/** Pause after a keystroke before the document is analysed again. */
const DEBOUNCE_MS = 150;

export function startServer(input: Readable, output: Writable): Connection {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace();
  const timers = new Map<string, NodeJS.Timeout>();

  const analysisOf = (uri: string): Analysis | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const file = uriToPath(uri);
    if (ws.text(file) !== doc.getText()) ws.set(file, doc.getText());
    return ws.analyze(file);
  };
  const compiledOf = (a: Analysis) => (a.lang === 'pte' ? ws.compiledFor(a) : undefined);

  const publish = (uri: string): void => {
    let a: Analysis | undefined;
    try {
      a = analysisOf(uri);
    } catch (e) {
      connection.console.error(`ptelab lsp: analysing ${uri} failed (${(e as Error).message}); this is a bug in ptelab`);
      return;
    }
    if (a) void connection.sendDiagnostics({ uri, diagnostics: a.diagnostics.map(lspDiagnostic) });
  };
  const publishAll = (): void => {
    for (const d of documents.all()) publish(d.uri);
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: ['.'] },
      documentSymbolProvider: true,
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'ptelab' },
  }));

  documents.onDidOpen((e) => {
    ws.set(uriToPath(e.document.uri), e.document.getText());
    // A spec opened may be the base of another open one: all of them are analysed again.
    publishAll();
  });
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        ws.set(uriToPath(uri), e.document.getText());
        publishAll();
      }, DEBOUNCE_MS),
    );
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    ws.close(uriToPath(e.document.uri));
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const guarded = <T>(what: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`ptelab lsp: ${what} failed (${(e as Error).stack ?? e}); this is a bug in ptelab`);
      return fallback;
    }
  };

  connection.onHover((p) =>
    guarded('hover', () => {
      const a = analysisOf(p.textDocument.uri);
      const doc = documents.get(p.textDocument.uri);
      return a && doc ? hover(a, compiledOf(a), doc.offsetAt(p.position)) : null;
    }, null),
  );
  connection.onDefinition((p) =>
    guarded('definition', () => {
      const a = analysisOf(p.textDocument.uri);
      const doc = documents.get(p.textDocument.uri);
      return a && doc ? definition(a, compiledOf(a), doc.offsetAt(p.position)) : null;
    }, null),
  );
  connection.onCompletion((p) =>
    guarded('completion', () => {
      const a = analysisOf(p.textDocument.uri);
      const doc = documents.get(p.textDocument.uri);
      return a && doc ? completion(a, compiledOf(a), doc.offsetAt(p.position)) : [];
    }, []),
  );
  connection.onDocumentSymbol((p) =>
    guarded('document symbols', () => {
      const a = analysisOf(p.textDocument.uri);
      return a ? documentSymbols(a) : [];
    }, []),
  );
  connection.onDocumentFormatting(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const file = uriToPath(p.textDocument.uri);
    try {
      const r = file.endsWith('.scn') ? await formatScenarioText(text, file) : await formatSpecText(text, file);
      // A file with syntax errors is not formatted (its diagnostics say why), as `ptelab fmt` refuses it.
      if (!r.ok || !r.changed) return [];
      return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: r.text }];
    } catch (e) {
      connection.console.error(`ptelab lsp: formatting ${file} failed (${(e as Error).message}); the text is left as it is`);
      return [];
    }
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
