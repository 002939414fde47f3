import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectGolden, Workspace } from './support/cli.js';
import { BROKEN_RULES } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('broken.rubric', BROKEN_RULES);
});
afterEach(() => ws.remove());

const ANSI = /\u001b\[\d+m/;

describe('rubric (the program)', () => {
  it('--help lists every command, examples and exit codes', async () => {
    const result = await ws.run(['--help']);
    expect(result.code).toBe(0);
    expectGolden('help', ['--help'], result, ws);
  });

  it.each(['check', 'test', 'score', 'explain', 'build', 'profile'])('`%s --help` has examples', async (command) => {
    const result = await ws.run([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: rubric ${command}`);
    expect(result.stdout).toContain('Examples:');
    if (command === 'score') expectGolden('help-score', [command, '--help'], result, ws);
    if (command === 'profile') expectGolden('help-profile', [command, '--help'], result, ws);
  });

  it('--version prints the package version', async () => {
    const result = await ws.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('usage errors exit 2 with a hint and no stack trace', async () => {
    const unknown = await ws.run(['chek', 'x.rubric']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'chek'");
    expect(unknown.stderr).toContain('(Did you mean check?)');

    const noArgs = await ws.run(['score', 'rules.rubric']);
    expect(noArgs.code).toBe(2);
    expect(noArgs.stderr).toContain("error: missing required argument 'data'");

    const badOption = await ws.run(['check', 'broken.rubric', '--strickt']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--strickt'");
    for (const result of [unknown, noArgs, badOption]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('no arguments shows the help and exits 2', async () => {
    const result = await ws.run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: rubric');
  });

  it('colours a terminal; NO_COLOR, --no-color and pipes stay plain', async () => {
    const colored = await ws.run(['check', 'broken.rubric'], { tty: true });
    expect(colored.stdout).toMatch(ANSI);
    const noColorEnv = await ws.run(['check', 'broken.rubric'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColorEnv.stdout).not.toMatch(ANSI);
    const noColorFlag = await ws.run(['check', 'broken.rubric', '--no-color'], { tty: true });
    expect(noColorFlag.stdout).not.toMatch(ANSI);
    const piped = await ws.run(['check', 'broken.rubric']);
    expect(piped.stdout).not.toMatch(ANSI);
    const forced = await ws.run(['check', 'broken.rubric'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    // Colour never changes the words.
    expect(colored.stdout.replace(/\u001b\[\d+m/g, '')).toBe(piped.stdout);
  });
});
