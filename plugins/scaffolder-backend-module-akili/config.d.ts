export interface Config {
  akili?: {
    tenancy?: {
      /** Tenants in GitLab, as the scaffolder (`@akili/plugin-scaffolder-backend-module-akili`) sees them. */
      gitlab?: {
        /**
         * The GitLab group whose subgroups are the tenants: tenant `acme` owns
         * `<rootGroup>/acme` and everything below it. A template step may write to a GitLab
         * project or group only inside the group of a tenant its user develops or operates (and
         * of the task's tenant). Without it, every GitLab action of a template is refused.
         * Example: `data-products`.
         */
        rootGroup?: string;
        /**
         * GitLab groups shared by every tenant, where the portal's templates and their skeletons
         * live. The scaffolder's own `fetch:*` actions read GitLab (with the portal's token) only
         * inside these groups; they never read a tenant's group. Must not lie inside
         * `rootGroup`'s tenant groups. Default: none.
         */
        sharedGroups?: string[];
      };
    };
  };
}
