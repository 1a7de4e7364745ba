/** Default time a product's run target is reused: paging a product's runs reads it once. */
export const DEFAULT_PRODUCT_CACHE_SECONDS = 5;

/** Products remembered at most; the oldest go first. */
const MAX_ENTRIES = 1000;

/**
 * What a product's manifest says about its runs (`ProductRunTarget`), per entity ref, for a few
 * seconds: a page of runs then costs one catalog round trip per product every few seconds
 * instead of one per page.
 *
 * @remarks
 *
 * It holds what the plugin read with its own credentials, per entity only, never per caller:
 * whoever is served from it was authorized for the product's tenant on that request. Loads are
 * shared while in flight; a failed load (not found, catalog down) is not remembered, so the
 * next request asks again. With `ttlMs` 0 every call loads.
 */
export class ProductTargetCache<T> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { expires: number; value: Promise<T> }>();

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The remembered target of `ref`, or a fresh one from `load` (remembered when it succeeds). */
  get(ref: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const entry = this.#entries.get(ref);
    if (entry && entry.expires > now) {
      return entry.value;
    }
    return this.refresh(ref, load);
  }

  /** Loads `ref` now, whatever is remembered, and remembers it (launches read fresh). */
  refresh(ref: string, load: () => Promise<T>): Promise<T> {
    const value = load();
    if (this.#ttlMs <= 0) {
      return value;
    }
    const entry = { expires: this.#now() + this.#ttlMs, value };
    this.#entries.delete(ref);
    this.#entries.set(ref, entry);
    while (this.#entries.size > MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    value.catch(() => {
      if (this.#entries.get(ref) === entry) {
        this.#entries.delete(ref);
      }
    });
    return value;
  }
}
