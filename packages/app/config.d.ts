export interface Config {
  akili?: {
    signIn?: {
      /**
       * Sign-in options shown on the sign-in page, in order: `authentik` (OIDC, production)
       * and/or `guest` (local development). Defaults to `guest`.
       * @visibility frontend
       */
      providers?: Array<'authentik' | 'guest'>;
    };
  };
}
