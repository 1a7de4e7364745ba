export interface Config {
  auth?: {
    providers?: {
      /**
       * The guest of local development (auth provider `guest`, registered by
       * `@akili/plugin-auth-backend-module-akili-provider`). Who the guest is: `akili.signIn.guest`.
       */
      guest?: {
        /**
         * Lets the guest sign in when `NODE_ENV` is not `development` (never in production).
         * Default false.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
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
    signIn?: {
      /**
       * The guest of local development: its tenant roles come from `groups`, mapped like
       * Authentik groups (`akili.tenancy.groupPattern`, tenants active in the registry), at every
       * sign-in and refresh, never from the catalog.
       */
      guest?: {
        /** Default `user:default/guest`. */
        userEntityRef?: string;
        /** The name shown for the guest. Default `Guest`. */
        displayName?: string;
        /** Group names, e.g. `[akili-acme-developer]`. Default none (the guest is refused). */
        groups?: string[];
      };
    };
  };
}
