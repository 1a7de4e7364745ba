import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Akili data product providers, one per id. Each reads manifests (`dataproduct.yaml`,
       * `*.odps.yaml` products, `*.odcs.yaml` contracts) from one source: a local folder or
       * the projects of a GitLab group.
       */
      akiliDataProducts?: {
        [id: string]: {
          /** A local folder, relative to the backend's working directory or absolute. */
          folder?: string;
          gitlab?: {
            /** Host of a configured `integrations.gitlab` entry. */
            host: string;
            /** Group full path; its subgroups are included. */
            group: string;
            /** Branch to read; defaults to each project's default branch. */
            branch?: string;
          };
          /** Full-scan schedule; defaults to every 5 minutes. */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
    };
  };
}
