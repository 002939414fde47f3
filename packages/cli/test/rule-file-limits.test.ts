/**
 * Issue 12: `rubric check` on any rule file finishes quickly with bounded memory. A file over
 * MAX_RULE_FILE_BYTES is refused with R040 without being read; a named pipe nobody writes to and
 * an endless device do not hang the command.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { MAX_RULE_FILE_BYTES } from '@rubric/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

describe('rule file size limit (R040)', () => {
  it('refuses a file over the limit with R040 at 1:1 and exit 1, without parsing it', async () => {
    // One byte over the limit, made of a line that would otherwise give one error per line.
    const line = 'when job = "abc\n';
    const text = line.repeat(Math.ceil((MAX_RULE_FILE_BYTES + 1) / line.length)).slice(0, MAX_RULE_FILE_BYTES + 1);
    writeFileSync(ws.path('huge.rubric'), text);
    // No time is asserted (the machine's load would decide it): no R002 shows it was not parsed.
    const result = await ws.run(['check', 'huge.rubric']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error R040');
    expect(result.stdout).toContain('huge.rubric:1:1');
    expect(result.stdout).toContain(`this rule file is 2,097,153 bytes (2.0 MB); a rule file can be at most 2,097,152 bytes (2 MB)`);
    expect(result.stdout).not.toContain('R002');
  }, 30_000);

  it('checks a file of exactly the limit', async () => {
    const head = 'lead { job: text }\nwhen job = CEO add 1\n';
    writeFileSync(ws.path('full.rubric'), head + '#'.repeat(MAX_RULE_FILE_BYTES - head.length));
    const result = await ws.run(['check', 'full.rubric']);
    expect(result.stdout + result.stderr).not.toContain('R040');
    expect(result.code).toBe(0);
  });

  it('reads an endless device only up to the limit', async () => {
    const result = await ws.run(['check', '/dev/zero']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error R040');
    expect(result.stdout).toContain('this rule file is more than 2,097,152 bytes');
  });

  it('does not wait for a named pipe that nobody writes to', async () => {
    execFileSync('mkfifo', [ws.path('pipe.rubric')]);
    const result = await ws.run(['check', 'pipe.rubric']);
    // Read as an empty file: no `lead` block.
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('R027');
  });

  it('`fmt -` stops reading an endless stdin at the limit, exit 2', async () => {
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 0x23));
      },
    });
    const result = await ws.run(['fmt', '-'], { stdin: endless });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read stdin: it holds more than 2097152 bytes');
  });

  it('`fmt` refuses an over-limit file with exit 2 and says why', async () => {
    writeFileSync(ws.path('huge.rubric'), '#'.repeat(MAX_RULE_FILE_BYTES + 1));
    const result = await ws.run(['fmt', '--check', 'huge.rubric']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('over the limit of 2097152 bytes');
  });
});
