/**
 * What someone typed never comes back in an error: a refused option value, an unknown command, or a file given
 * where a policy goes (the JSON parser would quote it). The option and the rule are named instead.
 */
import { describe, expect, it } from 'vitest';
import { cpflow } from './support/run-cli';

describe('errors of the command line', () => {
  it('name the option and the rule, never the value typed', async () => {
    const run = await cpflow(['plan', '--referral-date', 'Emma-Smith-2015']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("option '--referral-date <date>' argument is invalid");
    expect(run.stderr).toContain('must be a date in the form YYYY-MM-DD');
    expect(run.stderr).not.toContain('Emma');
    const command = await cpflow(['Emma-Smith']);
    expect(command.stderr).toContain('unknown command');
    expect(command.stderr).not.toContain('Emma');
  });

  it('say a file given as the policy is not JSON without quoting it', async () => {
    const run = await cpflow(['plan', '--referral-date', '2026-08-29', '--policy', '/etc/passwd']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('passwd: (policy): is not valid JSON');
    expect(run.stderr).not.toContain('root');
  });
});
