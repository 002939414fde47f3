#!/usr/bin/env node
// The `rubric` command. Runs the built CLI (packages/cli/dist); `npm run build` makes it.
import { main } from '../dist/index.js';

main();
