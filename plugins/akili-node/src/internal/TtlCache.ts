/**
 * Answers remembered for at most `ttlMs` each: concurrent look-ups of one key share one load,
 * a failed load is not remembered (the next look-up tries again), and past `maxEntries` the
 * cache starts over (forgetting only costs a look-up).
 */
export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(options: {
    ttlMs: number;
    maxEntries: number;
    now?: () => number;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached && now - cached.at < this.#ttlMs) {
      return cached.value;
    }
    if (this.#entries.size >= this.#maxEntries) {
      this.#entries.clear();
    }
    const value = load();
    const entry = { at: now, value };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) {
        this.#entries.delete(key);
      }
    });
    return value;
  }

  /** Forgets one key, or everything. */
  invalidate(key?: string): void {
    if (key === undefined) {
      this.#entries.clear();
    } else {
      this.#entries.delete(key);
    }
  }
}
