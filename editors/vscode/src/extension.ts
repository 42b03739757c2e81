// The VS Code side of ptelab: a language client that starts `ptelab lsp --stdio` for .pte and .scn files. All the
// language knowledge is in the server (the repository's apps/lsp/), so the editor shows what `ptelab check` says.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // `ptelab`, or a command with arguments such as `node /path/to/dist/bin/ptelab.js` (split on spaces).
  const configured = vscode.workspace.getConfiguration('ptelab').get<string>('server.command', 'ptelab').trim() || 'ptelab';
  const [command, ...args] = configured.split(/\s+/);
  const server: ServerOptions = { command: command!, args: [...args, 'lsp'], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'pte' },
      { scheme: 'file', language: 'scn' },
      { scheme: 'untitled', language: 'pte' },
      { scheme: 'untitled', language: 'scn' },
    ],
  };
  client = new LanguageClient('ptelab', 'ptelab', server, clientOptions);
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`ptelab: cannot start '${configured} lsp' (${(e as Error).message}). Install ptelab or set ptelab.server.command.`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
