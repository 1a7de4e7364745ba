export interface Config {
  /**
   * The lake (`@akili/plugin-lake-backend`): the files of data products' output ports on an S3
   * API (Ceph RGW in production), each tenant in its own bucket or prefix.
   */
  lake?: {
    /**
     * The S3 endpoint the backend reads the lake through. Without it the lake's file routes
     * answer 503 "not configured".
     */
    s3?: {
      /** The S3 API's URL, e.g. `http://rgw.ceph:7480`. */
      endpoint: string;
      /** The region requests are signed for (default `us-east-1`; Ceph RGW accepts any). */
      region?: string;
      /**
       * Path-style addressing (`<endpoint>/<bucket>/<key>`), default true: Ceph RGW without
       * wildcard DNS needs it.
       */
      forcePathStyle?: boolean;
      /**
       * The platform's S3 user, used for every tenant that has no credentials of its own in
       * `lake.tenants`.
       */
      credentials?: {
        accessKeyId: string;
        /** @visibility secret */
        secretAccessKey: string;
      };
      /**
       * How long one S3 request may take, the body of small reads included, in ms (default
       * 5000, 100 to 120000): an endpoint that is down or hangs is a 503 within that time.
       */
      timeoutMs?: number;
    };
    /**
     * The bucket a tenant's data lives in, `{tenant}` replaced by the tenant's id (default
     * `akili-{tenant}`). Unless `prefix` holds `{tenant}`, the bucket must: tenants never share
     * an area.
     */
    bucket?: string;
    /**
     * The key prefix of a tenant's data inside its bucket, `{tenant}` replaced by the tenant's
     * id (default: none, the whole bucket; `/` says so too). A `/` is added at the end when
     * missing.
     */
    prefix?: string;
    /** Per-tenant overrides of where the tenant's data lives and whose credentials read it. */
    tenants?: {
      [tenant: string]: {
        /** The tenant's bucket (instead of the `lake.bucket` template). */
        bucket?: string;
        /**
         * The tenant's prefix in its bucket (instead of the `lake.prefix` template); `/` for the
         * whole bucket.
         */
        prefix?: string;
        /**
         * The tenant's own S3 user (a Ceph RGW user per tenant): every request for the tenant's
         * files is signed with it, so S3 itself keeps the tenant to its own data.
         */
        credentials?: {
          accessKeyId: string;
          /** @visibility secret */
          secretAccessKey: string;
        };
        /**
         * The tenant's RGW user id (e.g. `akili-globex`, the user its jobs read S3 with): with
         * `lake.agreements.bucketPolicies.enabled`, the provider's bucket policy lets it read
         * the ports the tenant has an access agreement in force for. Without it, the tenant's
         * agreements are enforced in the portal only.
         */
        rgwUser?: string;
      };
    };
    /** Presigned download URLs. */
    presign?: {
      /** How long a download URL the portal hands out is valid, in seconds (default 300, 10 to 3600). */
      expiresInSeconds?: number;
      /**
       * Longest validity the storage signs a URL for, in seconds (default 300, 1 to 3600); a
       * longer `expiresInSeconds` is cut to it.
       */
      maxExpirySeconds?: number;
      /**
       * The S3 endpoint as browsers reach it, when it differs from `lake.s3.endpoint` (URLs are
       * signed for this host).
       */
      endpoint?: string;
    };
    /** Measuring what each tenant stores (objects and bytes per product). */
    usage?: {
      /** Default true (when `lake.s3` is set). */
      enabled?: boolean;
      /** Minutes between two measurements (default 60, 1 to 1440). */
      intervalMinutes?: number;
    };
    /** Access agreements between tenants. */
    agreements?: {
      /**
       * The lake's own enforcement of the agreements for direct S3 reads: each provider
       * tenant's bucket policy holds a statement (`Sid` `akili-agreement-...`) per consumer
       * tenant RGW user (`lake.tenants.<tenant>.rgwUser`) and port prefix in force; statements
       * with other `Sid`s are kept. Needs `lake.s3`, and credentials allowed to write the
       * buckets' policies (the bucket owner's).
       */
      bucketPolicies?: {
        /** Default false. */
        enabled?: boolean;
        /**
         * Minutes between two full reconciliations (default 5, 1 to 1440); each agreement
         * transition also reconciles at once.
         */
        intervalMinutes?: number;
      };
    };
  };
}
