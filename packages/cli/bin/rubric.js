#!/usr/bin/env node
// The `rubric` command. Runs the built CLI, bundled into one file for a quick start
// (`npm run build` makes it: tsc, then scripts/bundle-bins.mjs).
import { main } from '../dist/rubric.mjs';

main();
