/**
 * Values shared by every case a worker runs. A worker may hold a thousand cases, each started with its own
 * deserialised copy of the same procedure policy and holiday calendar (≈25 KB of heap per case); interning
 * hands every case one shared, frozen copy per distinct content instead. Safe in workflow code: the value
 * returned equals, field for field, the one given — only its identity is shared — and it is frozen, so no
 * case can change what another sees. Pure: no Temporal API, no I/O.
 */

/** Deep-freezes plain data (objects and arrays); returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A bounded cache of values by content: {@link ContentInterner.intern} returns the value already held for an
 * equal key, else builds, holds and returns a new one. Holds at most `capacity` values, dropping the oldest
 * (a worker sees few distinct policies and calendars: one per version).
 */
export class ContentInterner<In extends object, Out> {
  readonly #held = new Map<string, Out>();
  /** Inputs already seen, by identity: a workflow passes the shared data it got back again (no second JSON). */
  readonly #seen = new WeakMap<In, Out>();

  /**
   * @param build makes the shared value from the first input with a given key and that key (the input's JSON).
   * @param capacity how many distinct values to hold.
   */
  constructor(
    private readonly build: (value: In, json: string) => Out,
    private readonly capacity = 16,
  ) {}

  /** The shared value for `value`'s content (JSON; key order matters, which deserialised inputs keep). */
  intern(value: In): Out {
    const seen = this.#seen.get(value);
    if (seen !== undefined) return seen;
    const key = JSON.stringify(value);
    let out = this.#held.get(key);
    if (out === undefined) {
      out = this.build(value, key);
      if (this.#held.size >= this.capacity) this.#held.delete(this.#held.keys().next().value as string);
      this.#held.set(key, out);
    }
    this.#seen.set(value, out);
    return out;
  }

  /** Makes `value` (e.g. the shared value's own data form) answer `out` by identity from now on. */
  remember(value: In, out: Out): void {
    this.#seen.set(value, out);
  }

  /** How many values are held. */
  get size(): number {
    return this.#held.size;
  }
}
