#!/usr/bin/env node
// Entry point of the `ptelab` command: the process as a CliIo, then main().
import { processIo } from './process-io.js';
import { main } from './main.js';

// `ptelab ... | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2), processIo(process));
