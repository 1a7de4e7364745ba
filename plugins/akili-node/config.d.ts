export interface Config {
  akili?: {
    /**
     * Akili API tokens: scoped to one tenant and named permissions, issued and revoked by the
     * tenant's operators on the control plane, accepted by the Akili plugins through the `akili`
     * external token handler (`backend.auth.externalAccess`). Without a secret no token is issued
     * or accepted.
     */
    apiTokens?: {
      /**
       * The HMAC-SHA256 key new tokens are signed with, at least 32 characters. Changing it
       * invalidates every token signed with it unless it moves to `previousSecrets`.
       * @visibility secret
       */
      secret?: string;
      /**
       * Former secrets, still accepted for verification (key rotation); tokens are never signed
       * with them.
       * @visibility secret
       */
      previousSecrets?: string[];
    };
  };
}
