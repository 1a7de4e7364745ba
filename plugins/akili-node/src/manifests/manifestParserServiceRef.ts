import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  ManifestParserPool,
  ManifestParserService,
} from './ManifestParserPool';

/**
 * The manifest parser of the backend: one {@link ManifestParserPool} per process, shared by
 * every plugin (the control plane's validate route, the catalog's manifest provider), closed
 * when the backend shuts down.
 *
 * @public
 */
export const manifestParserServiceRef = createServiceRef<ManifestParserService>(
  {
    id: 'akili.manifestParser',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          lifecycle: coreServices.rootLifecycle,
          logger: coreServices.rootLogger,
        },
        factory({ lifecycle, logger }) {
          const pool = new ManifestParserPool({
            logger: logger.child({ service: 'akili-manifest-parser' }),
          });
          lifecycle.addShutdownHook(() => pool.close());
          // Loading the parser takes a moment: done while the backend starts.
          pool.warmUp();
          return pool;
        },
      }),
  },
);
