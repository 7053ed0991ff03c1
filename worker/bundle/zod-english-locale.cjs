// The CommonJS twin of zod-english-locale.mjs, for workflow code compiled to CommonJS (the CLI's dist/, which
// `cpflow simulate` bundles): there zod's locales index is its .cjs file, and webpack parses its replacement as
// CommonJS too.
'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module is what this file is for
exports.en = require('zod/v4/locales/en.cjs');
