#!/usr/bin/env node
// Entry point of the `ptelab` command.
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
});
process.exitCode = code;
