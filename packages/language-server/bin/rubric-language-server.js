#!/usr/bin/env node
// The Rubric language server: `rubric-language-server --stdio` or `--node-ipc`. Runs the built
// server, bundled into one file for a quick start (`npm run build` makes it).
import { runFromCommandLine } from '../dist/rubric-language-server.mjs';

process.exitCode = runFromCommandLine(process.argv.slice(2));
