#!/usr/bin/env node
// The `rubric` command. Runs the built CLI, bundled into one file for a quick start
// (`npm run build` makes it: tsc, then scripts/bundle-bins.mjs).
import { setFlagsFromString } from 'node:v8';

// No allocation-site pretenuring, set before the CLI's code is loaded. When V8 finds most of a
// site's recent objects alive at a collection it allocates that site's objects in the old
// generation from then on, for good; `rubric score --accounts` holds the accounts it reads (and
// begins their tallies) with the same CSV reader that then streams the contacts, and in about
// one run in two at 1,000,000 contacts in 100,000 accounts the reader's objects were judged
// long-lived: 1.2 GB promoted and 1.9 s of pauses instead of 90 MB and 0.35 s, 5.8 s instead of
// 4.2 s. Measured without effect elsewhere (`rubric score` of 1,000,000 leads, the accounts
// held in memory; bench/notes.md, Accounts).
setFlagsFromString('--no-allocation-site-pretenuring');

const { main } = await import('../dist/rubric.mjs');
main();
