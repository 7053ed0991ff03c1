// zod's locales as the workflow bundle sees them: English only (worker/workflow-bundle.ts swaps zod's
// locales/index for this file). zod's other 60-odd locales would add ~0.4 MB of code and non-Latin-1 text
// — doubling the size of the bundle string every worker thread holds — for messages cpflow never shows.
export { default as en } from 'zod/v4/locales/en.js';
