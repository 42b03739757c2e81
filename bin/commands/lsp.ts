// ptelab lsp: the language server for editors (docs/editor.md), speaking LSP over stdin/stdout until the editor
// sends `exit`. Nothing else may be written to stdout: it carries the protocol.
import { startServer } from '../../apps/lsp/server.js';
import type { CliIo, CommandArgs } from '../io.js';

export function lspCommand(_args: CommandArgs, _io: CliIo): Promise<number> {
  // Editors' clients commonly pass --stdio (bin/table.ts accepts it); stdio is the only transport.
  const connection = startServer(process.stdin, process.stdout);
  return new Promise((resolve) => {
    // `shutdown` then `exit` ends the server with 0; an `exit` without `shutdown`, or the editor closing the pipe,
    // with 1 (the protocol's rule).
    let shutdown = false;
    connection.onShutdown(() => {
      shutdown = true;
    });
    connection.onExit(() => resolve(shutdown ? 0 : 1));
    process.stdin.on('end', () => resolve(shutdown ? 0 : 1));
  });
}
