/** Activities used by the conformance tests. */

/** Returns a greeting for `name`. */
export async function echo(name: string): Promise<string> {
  return `hello ${name}`;
}
