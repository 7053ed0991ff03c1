/**
 * Modules loaded once per worker and shared by every workflow in the reusable V8 context (the bundler's
 * `preloadModules`, see worker/workflow-bundle.ts). Without it each cached workflow evaluates its own copy of
 * zod (hundreds of schema classes, about half of a cached case's memory).
 *
 * Only stateless libraries belong here: shared modules are deep-frozen by the SDK. zod configures its default
 * locale and memoizer lazily, on first use, by writing to a global object; one throwaway parse below does it
 * now, before the freeze.
 */
import * as z from 'zod';

z.object({ warm: z.string().min(1).transform((s) => s), list: z.array(z.number()).optional() }).safeParse({ warm: '' });

/** The shared zod module (exported so the bundler keeps the import). */
export const sharedZod = z;
