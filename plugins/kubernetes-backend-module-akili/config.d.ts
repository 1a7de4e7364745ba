export interface Config {
  akili?: {
    tenancy?: {
      kubernetes?: {
        /**
         * The Kubernetes namespace of each tenant: `{tenant}` is replaced by the tenant's name,
         * exactly once. Default `akili-{tenant}`: tenant `acme` runs in `akili-acme`, and
         * `akili-acme-evil` is tenant `acme-evil`'s, never `acme`'s (a pattern names exactly one
         * namespace per tenant, no wildcard).
         */
        namespacePattern?: string;
        /**
         * Namespaces bound to a tenant explicitly, in place of the pattern's: tenant name to its
         * namespaces. A namespace may be bound to one tenant only, and not be another tenant's
         * pattern namespace; the backend refuses to start otherwise.
         */
        namespaces?: { [tenant: string]: string[] };
      };
    };
  };
}
