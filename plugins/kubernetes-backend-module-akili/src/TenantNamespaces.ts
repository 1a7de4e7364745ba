import { isValidTenantName } from '@akili/plugin-akili-common';
import { Config } from '@backstage/config';

/** The default namespace pattern: tenant `acme` runs in `akili-acme`. */
export const DEFAULT_NAMESPACE_PATTERN = 'akili-{tenant}';

const TENANT_PLACEHOLDER = '{tenant}';
/** A Kubernetes namespace name (an RFC 1123 label). */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAMESPACE_LENGTH = 63;

function isNamespaceName(value: string) {
  return value.length <= MAX_NAMESPACE_LENGTH && NAMESPACE_NAME.test(value);
}

/**
 * Which Kubernetes namespaces belong to which tenant.
 *
 * @remarks
 *
 * Each tenant has exactly the namespaces the configuration gives it: the pattern's one
 * namespace (`akili-{tenant}` by default), or an explicit list. There is no wildcard: with a
 * prefix rule like `{tenant}-*`, tenant `acme` would claim `acme-evil-...` of tenant
 * `acme-evil`, since tenant names may contain dashes. A pattern with one `{tenant}` maps tenants
 * to namespaces one to one, and an explicit binding may not take a namespace the pattern gives
 * another tenant.
 *
 * @public
 */
export class TenantNamespaces {
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly explicit: ReadonlyMap<string, readonly string[]>;

  static fromConfig(config: Config): TenantNamespaces {
    const kubernetes = config.getOptionalConfig('akili.tenancy.kubernetes');
    const namespaces = kubernetes?.getOptionalConfig('namespaces');
    return new TenantNamespaces({
      pattern:
        kubernetes?.getOptionalString('namespacePattern') ??
        DEFAULT_NAMESPACE_PATTERN,
      namespaces: Object.fromEntries(
        (namespaces?.keys() ?? []).map(tenant => [
          tenant,
          namespaces!.getStringArray(tenant),
        ]),
      ),
    });
  }

  constructor(options: {
    pattern?: string;
    namespaces?: Record<string, readonly string[]>;
  }) {
    const pattern = options.pattern ?? DEFAULT_NAMESPACE_PATTERN;
    const parts = pattern.split(TENANT_PLACEHOLDER);
    if (parts.length !== 2) {
      throw new Error(
        `akili.tenancy.kubernetes.namespacePattern must contain ${TENANT_PLACEHOLDER} exactly once, got '${pattern}'`,
      );
    }
    [this.prefix, this.suffix] = parts;
    if (!isNamespaceName(`${this.prefix}a${this.suffix}`)) {
      throw new Error(
        `akili.tenancy.kubernetes.namespacePattern '${pattern}' does not give Kubernetes namespace names (lowercase letters, digits and dashes)`,
      );
    }

    const explicit = new Map<string, readonly string[]>();
    const owner = new Map<string, string>();
    for (const [tenant, namespaces] of Object.entries(
      options.namespaces ?? {},
    )) {
      if (!isValidTenantName(tenant)) {
        throw new Error(
          `akili.tenancy.kubernetes.namespaces names an invalid tenant '${tenant}'`,
        );
      }
      for (const namespace of namespaces) {
        if (!isNamespaceName(namespace)) {
          throw new Error(
            `akili.tenancy.kubernetes.namespaces.${tenant} names an invalid namespace '${namespace}'`,
          );
        }
        const other = owner.get(namespace) ?? this.patternTenantOf(namespace);
        if (other !== undefined && other !== tenant) {
          throw new Error(
            `Namespace '${namespace}' cannot be bound to tenant '${tenant}': it is tenant '${other}'s`,
          );
        }
        owner.set(namespace, tenant);
      }
      explicit.set(tenant, [...namespaces]);
    }
    this.explicit = explicit;
  }

  /** The namespaces of a tenant (none for an invalid tenant name). */
  namespacesOf(tenant: string): readonly string[] {
    if (!isValidTenantName(tenant)) {
      return [];
    }
    const explicit = this.explicit.get(tenant);
    if (explicit) {
      return explicit;
    }
    const namespace = `${this.prefix}${tenant}${this.suffix}`;
    return isNamespaceName(namespace) ? [namespace] : [];
  }

  /** Whether a namespace belongs to a tenant. */
  isNamespaceOf(namespace: string, tenant: string): boolean {
    return this.namespacesOf(tenant).includes(namespace);
  }

  /** The tenant the pattern gives a namespace to, if any. */
  private patternTenantOf(namespace: string): string | undefined {
    if (
      !namespace.startsWith(this.prefix) ||
      !namespace.endsWith(this.suffix) ||
      namespace.length <= this.prefix.length + this.suffix.length
    ) {
      return undefined;
    }
    const tenant = namespace.slice(
      this.prefix.length,
      namespace.length - this.suffix.length,
    );
    return isValidTenantName(tenant) ? tenant : undefined;
  }
}
