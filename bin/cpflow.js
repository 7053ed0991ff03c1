#!/usr/bin/env node
// Installed entry point for the `cpflow` bin: runs the TypeScript CLI through tsx.
require('tsx/cjs');
const { main } = require('../cli/main.ts');
main(process.argv).then((code) => {
  process.exitCode = code;
});
