import { LoggerService } from '@backstage/backend-plugin-api';
import { AkiliRole } from '@akili/plugin-akili-common';
import { TenantStore } from './TenantStore';

/** How long a recorded sighting stands before the same member's next request is written. */
export const MEMBER_SEEN_THROTTLE_MS = 60_000;

/** Bounds the in-memory cache; it only saves writes, so forgetting it is harmless. */
const MAX_CACHED = 10_000;

/**
 * Records the users seen calling Akili as members of their tenants (`TenantMember`), cheaply:
 * one write per member and tenant per minute per backend instance, or sooner when their roles
 * change. Failures are logged, never passed on to the request.
 */
export class MemberTracker {
  readonly #store: TenantStore;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #written = new Map<string, { at: number; roles: string }>();

  constructor(options: {
    store: TenantStore;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Records a user as seen in each of their tenants (platform admin status is not a tenant). */
  async seen(
    user: {
      userEntityRef: string;
      tenants: Record<string, readonly AkiliRole[]>;
    },
    /** The name people see (the token's `name` claim), when the request carries it. */
    displayName?: string,
  ): Promise<void> {
    for (const [tenant, roles] of Object.entries(user.tenants)) {
      await this.#seenIn(tenant, user.userEntityRef, roles, displayName);
    }
  }

  async #seenIn(
    tenant: string,
    userEntityRef: string,
    roles: readonly AkiliRole[],
    displayName: string | undefined,
  ): Promise<void> {
    const key = `${tenant}\u0000${userEntityRef}`;
    const now = this.#now();
    // A changed role or name is written at once, not after the throttle.
    const rolesKey = `${roles.join(',')}\u0000${displayName ?? ''}`;
    const last = this.#written.get(key);
    if (
      last &&
      last.roles === rolesKey &&
      now - last.at < MEMBER_SEEN_THROTTLE_MS
    ) {
      return;
    }
    if (this.#written.size >= MAX_CACHED) {
      this.#written.clear();
    }
    this.#written.set(key, { at: now, roles: rolesKey });
    try {
      await this.#store.recordMember(
        tenant,
        userEntityRef,
        roles,
        new Date(now),
        displayName,
      );
    } catch (error) {
      this.#written.delete(key);
      this.#logger.warn('Could not record a tenant member', {
        tenant,
        userEntityRef,
        error: String(error),
      });
    }
  }
}
