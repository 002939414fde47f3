#!/usr/bin/env node
// The Rubric language server: `rubric-language-server --stdio` or `--node-ipc`.
import { runFromCommandLine } from '../dist/main.js';

process.exitCode = runFromCommandLine(process.argv.slice(2));
