/**
 * Modules loaded once per worker and shared by every workflow in the reusable V8 context (the bundler's
 * `preloadModules`, see worker/workflow-bundle.ts). Without it each cached workflow evaluates its own copy of
 * every module it imports: zod (hundreds of schema classes) and the domain's zod schemas (policy, referral,
 * events: ≈290 schema instances) were ≈460 KB of the ≈580 KB heap of each cached case.
 *
 * Only stateless modules belong here: shared modules are deep-frozen by the SDK (the domain keeps no module
 * state but a WeakMap memo keyed by policy, deterministic). zod configures its default locale and memoizer
 * lazily, on first use, by writing to a global object, defines schema internals lazily, and each schema's first
 * parse settles its parse function on the instance; the throwaway parses below (every schema, nested ones
 * included) do it now, before the freeze (the SDK's deep freeze then reads every remaining lazy property).
 */
import * as z from 'zod';
import * as calendar from '../domain/calendar';
import * as caseModel from '../domain/case';
import * as caseProcess from '../domain/case-process';
import * as notifications from '../domain/notifications';
import * as planner from '../domain/planner';
import * as policy from '../domain/policy';
import * as rules from '../domain/rules';

/** Reads every getter `target` inherits (zod stores each result on the instance on first read). */
function readInheritedGetters(target: object): void {
  for (
    let proto = Object.getPrototypeOf(target) as object | null;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (Object.getOwnPropertyDescriptor(proto, key)?.get === undefined) continue;
      try {
        void (target as Record<string, unknown>)[key];
      } catch {
        // A member that cannot be built here: nothing stored.
      }
    }
  }
}

/**
 * Turns a regular expression property into one that hands out a fresh copy on every read: zod resets
 * `lastIndex` on the patterns of its checks before each test, which a frozen expression refuses, and the SDK's
 * deep freeze freezes every object reachable through properties (closures it cannot reach keep theirs).
 */
function unfreezablePattern(holder: Record<string, unknown>, key: string): void {
  const pattern = Object.getOwnPropertyDescriptor(holder, key)?.value as unknown;
  if (!(pattern instanceof RegExp)) return;
  const { source, flags } = pattern;
  Object.defineProperty(holder, key, { configurable: false, enumerable: true, get: () => new RegExp(source, flags) });
}

/**
 * Builds every lazy member of a schema or check and of the schemas its definition holds (object shapes,
 * options, inner types, checks...): zod installs methods and internals as prototype getters that store their
 * result on the instance on first read, which a frozen instance refuses — and the SDK's deep freeze only reads
 * own properties.
 */
function materialize(value: unknown, seen: WeakSet<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const internals = Object.getOwnPropertyDescriptor(value, '_zod')?.value as (object & { def?: object }) | undefined;
  if (internals !== undefined) {
    // Each schema's first parse latches its memoizer's choice onto the instance: every nested schema once.
    try {
      z.safeParse(value as z.ZodType, {});
    } catch {
      // Only the latch matters.
    }
    readInheritedGetters(value);
    readInheritedGetters(internals);
    unfreezablePattern(internals as Record<string, unknown>, 'pattern');
    if (internals.def !== undefined) {
      unfreezablePattern(internals.def as Record<string, unknown>, 'pattern');
      materialize(internals.def, seen);
    }
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  // Own getters too (an object schema's shape is one): the deep freeze reads them anyway.
  for (const key of Object.getOwnPropertyNames(value)) materialize((value as Record<string, unknown>)[key], seen);
}

z.object({
  warm: z
    .string()
    .min(1)
    .transform((s) => s),
  list: z.array(z.number()).optional(),
}).safeParse({ warm: '' });
// Every schema's parse path once (valid or not), then every lazy member, before the SDK freezes them.
const seen = new WeakSet<object>();
for (const mod of [calendar, caseModel, caseProcess, notifications, planner, policy, rules]) {
  for (const value of Object.values(mod)) {
    if (value instanceof z.ZodType) value.safeParse({});
  }
  for (const value of Object.values(mod)) materialize(value, seen);
}

/** The shared modules (exported so the bundler keeps the imports). */
export const sharedZod = z;
/** The shared domain modules. */
export const sharedDomain = { calendar, caseModel, caseProcess, notifications, planner, policy, rules };
