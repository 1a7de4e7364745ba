export interface Config {
  akili?: {
    tenancy?: {
      gitlab?: {
        /**
         * The GitLab group whose subgroups are the tenants' (`<rootGroup>/<tenant>`), on every
         * host of `integrations.gitlab`. The catalog reads a placeholder (`$text`, `$json`,
         * `$yaml`) or a Location target only inside the tenant of the entity's source; without
         * this key the guard cannot tell tenants apart, so it refuses every such read except an
         * entity re-reading its own file.
         */
        rootGroup?: string;
      };
    };
  };
}
