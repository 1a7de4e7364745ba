/**
 * Sets the config the app reads at start-up, with the given sign-in providers. The app reads
 * it once per module registry, so each test file renders one configuration.
 */
export function configureApp(providers: string[]) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Akili Portal' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { environment: 'production' },
          akili: { signIn: { providers } },
        },
        context: 'test',
      },
    ] as any,
  };
}
