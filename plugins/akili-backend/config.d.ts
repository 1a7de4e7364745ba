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
    };
    /** Where Akili domain events go (read by every Akili backend plugin that publishes). */
    events?: {
      /**
       * `in-process` (default, for `make dev`: no broker, the same outbox) or `kafka`
       * (Redpanda or any Kafka-protocol broker).
       */
      transport?: 'in-process' | 'kafka';
      /** Topic per tenant and event family. Default `akili.{tenant}.{family}`. */
      topicPattern?: string;
      kafka?: {
        brokers: string[];
        /** Default `akili-portal`. */
        clientId?: string;
        ssl?: boolean;
        sasl?: {
          mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
          username: string;
          /** @visibility secret */
          password: string;
        };
        /**
         * Create each topic (also `….dlq`) before its first publish, with these settings.
         * Without it, topics are auto-created by the broker with its defaults (often one
         * replica). The librdkafka mock cluster used by the tests cannot create topics this way.
         */
        topics?: {
          create?: boolean;
          /** Partitions of a new topic; messages of one key stay in one partition. */
          partitions?: number;
          /** Replicas of each partition, e.g. 3 for a three-broker Redpanda cluster. */
          replicationFactor?: number;
        };
      };
    };
    /**
     * Deployments of data products (`POST /v1/tenants/:tenant/products/:name/deploy`): the
     * pipeline of the tenant's GitLab project `<akili.tenancy.gitlab.rootGroup>/<tenant>/<name>`,
     * run with the token of the GitLab integration.
     */
    deployments?: {
      /** The GitLab integration to use (`integrations.gitlab[].host`); default: the only one. */
      gitlabHost?: string;
      /** How long one GitLab call may take, in milliseconds. Default 10000. */
      gitlabTimeoutMs?: number;
      /** First wait before reading a pipeline's status, growing 1.5 times up to 30 s. Default 2000. */
      pollIntervalMs?: number;
      /** How long a pipeline is followed before its deployment is marked `unknown`. Default 2 h. */
      followForMs?: number;
    };
    /**
     * The merge-request review (`POST /api/akili/v1/webhooks/gitlab`): a GitLab webhook on
     * merge-request events, answered with the consumer impact as a note on the merge request.
     * GitLab is reached as for deployments (`deployments.gitlabHost`, its integration's token).
     */
    reviews?: {
      gitlab?: {
        /**
         * The webhook's "Secret token" (`X-Gitlab-Token`). Unset: the webhook refuses every event (401).
         * @visibility secret
         */
        webhookSecret?: string;
      };
      /** The manifest's path in a product's project. Default `dataproduct.yaml`. */
      manifestPath?: string;
    };
    /** How Akili plugins use their PostgreSQL databases. */
    database?: {
      /**
       * A PostgreSQL role (NOLOGIN, granted to the connection's user, not owning the Akili tables,
       * neither superuser nor BYPASSRLS) that every tenant transaction switches to with
       * `SET LOCAL ROLE`, so tenant data is read and written by a role row-level security binds.
       * The plugin grants it table privileges at start-up and refuses to start, naming the fix,
       * when the role is unusable. Unset: transactions run as the connection's user (FORCE ROW
       * LEVEL SECURITY binds it too). Not available on SQLite.
       */
      tenantRole?: string;
    };
    /** Tenant management of `@akili/plugin-akili-backend`. */
    tenants?: {
      /**
       * Tenants created at startup when they do not exist yet (audited as created by `system`).
       * Existing tenants are left alone: later changes go through the tenant management API.
       */
      seed?: Array<{
        /** Tenant name, which is also its catalog namespace: lowercase letters, digits, dashes. */
        name: string;
        /** Display title. */
        title: string;
        description?: string;
        /** Query limits; omitted ones take the defaults (10000 rows, 4 concurrent queries). */
        quotas?: {
          queryRowLimit?: number;
          maxConcurrentQueries?: number;
          /** Lake storage the tenant may use, in bytes; no quota when omitted. */
          storageQuotaBytes?: number;
        };
      }>;
    };
  };
}
