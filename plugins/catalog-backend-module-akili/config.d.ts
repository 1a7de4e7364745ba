import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Akili data product providers, one per id. Each reads manifests (`dataproduct.yaml`,
       * `*.odps.yaml` products, `*.odcs.yaml` contracts) from one source: a local folder or
       * the projects of a GitLab group. Every file belongs to the tenant of its place in the
       * source, and a manifest whose namespace is another tenant is refused.
       */
      akiliDataProducts?: {
        [id: string]: {
          /** A local folder, relative to the backend's working directory or absolute. */
          folder?: string;
          /**
           * The one tenant the folder belongs to. Without it, each top-level subfolder of
           * `folder` is a tenant's folder (`<folder>/<tenant>/...`). Folders only.
           */
          tenant?: string;
          gitlab?: {
            /** Host of a configured `integrations.gitlab` entry. */
            host: string;
            /**
             * Group full path; its subgroups are included. Each first subgroup is a tenant's
             * group (`<group>/<tenant>`); projects directly in the group belong to no tenant
             * and are not read.
             */
            group: string;
            /** Branch to read and to apply pushes of; defaults to each project's default branch. */
            branch?: string;
          };
          /** Full-scan schedule; defaults to every 5 minutes. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
      /**
       * The product registry of the Akili control plane as a source: each registered product's
       * current manifest becomes a DataProduct entity in the namespace of its registry entry's
       * tenant, unless a provider of `akiliDataProducts` gives that product (the source wins).
       * Set it (even empty, `akiliRegistry: {}`) to turn the provider on.
       */
      akiliRegistry?: {
        /** Full-read schedule; defaults to every 5 minutes. Also read on `product.registered`. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
  akili?: {
    tenancy?: {
      /**
       * Groups outside the tenants' namespaces that any tenant may name as a data product's
       * owner (e.g. `group:default/akili-platform`; a bare name is a group of namespace
       * `default`). A product's owner must otherwise be a group of its own tenant.
       */
      sharedOwnerGroups?: string[];
    };
  };
}
