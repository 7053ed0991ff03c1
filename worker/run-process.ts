/** The end of cpflow's long-running processes: exit with `main`'s code, or 1 after printing why it failed. */
export function runProcess(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`cpflow: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
