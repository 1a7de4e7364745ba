export interface Config {
  akili?: {
    /**
     * How identity provider (Authentik) groups map to Akili tenant roles. Read at sign-in by
     * `@akili/plugin-auth-backend-module-akili-provider` and shown by tenant management.
     */
    tenancy?: {
      /**
       * Template of the group names that grant a tenant role; must contain `{tenant}` and
       * `{role}` once each. Roles are developer, operator and consumer.
       * Defaults to `akili-{tenant}-{role}`.
       */
      groupPattern?: string;
      /**
       * Name of the group whose members are Akili platform admins (across tenants).
       * Defaults to `akili-platform-admins`.
       */
      platformAdminGroup?: string;
    };
  };
}
