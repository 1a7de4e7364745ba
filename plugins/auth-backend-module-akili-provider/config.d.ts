export interface Config {
  auth?: {
    providers?: {
      /** Authentik through the Akili OIDC provider module. */
      oidc?: {
        [authEnv: string]: {
          /**
           * How Authentik groups map to Akili tenant roles.
           * Read by `@akili/plugin-auth-backend-module-akili-provider`.
           */
          akili?: {
            /**
             * Template of the Authentik group names that grant a tenant role; must contain
             * `{tenant}` and `{role}` once each. Roles are developer, operator and consumer.
             * Defaults to `akili-{tenant}-{role}`.
             */
            groupPattern?: string;
            /**
             * Name of the Authentik group whose members are Akili platform admins.
             * Defaults to `akili-platform-admins`.
             */
            platformAdminGroup?: string;
            /**
             * Tenants whose members may not sign in through them (their groups are ignored).
             */
            suspendedTenants?: string[];
          };
        };
      };
    };
  };
}
