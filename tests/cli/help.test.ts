/**
 * The compiled CLI loads only the command group a command names; help and a mistyped command still see every
 * group. (How fast it starts is measured in bench/cli.bench.ts, not here.)
 */
import { describe, expect, it } from 'vitest';
import { cpflow } from './support/run-cli';

const GROUPS = ['calendar', 'mail', 'plan', 'referral', 'case', 'overdue', 'simulate'];

/** The command names a help text lists, in order. */
function listedCommands(help: string): string[] {
  const section = help.split('Commands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((name) => name !== 'help');
}

describe('cpflow help', () => {
  it('lists every command group, with or without --help', async () => {
    for (const args of [['--help'], ['help']]) {
      const run = await cpflow(args);
      expect(run.code).toBe(0);
      expect(listedCommands(run.stdout)).toEqual(GROUPS);
    }
  });

  it("shows a group's own commands", async () => {
    const run = await cpflow(['case', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: cpflow case /);
    expect(listedCommands(run.stdout)).toEqual([
      'record',
      'reassign',
      'not-required',
      'extend',
      'close',
      'amend',
      'withdraw',
      'show',
      'holidays',
    ]);
  });

  it('refuses an unknown command and lists the known ones', async () => {
    const run = await cpflow(['cases', 'show']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: unknown command');
    expect(listedCommands(run.stderr)).toEqual(GROUPS);
  });
});
