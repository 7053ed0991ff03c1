#!/usr/bin/env node
// Installed entry point for the `cpflow` bin: runs the compiled CLI in dist/ (built by `npm run build`, which
// npm runs on install), so a command starts in plain Node without compiling TypeScript first.
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
try {
  cli = require(compiled);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && err.message.includes(compiled)) {
    process.stderr.write('cpflow: the CLI is not built yet: run `npm run build` (npm install runs it)\n');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv).then((code) => {
  process.exitCode = code;
});
