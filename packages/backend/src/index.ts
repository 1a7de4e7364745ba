/*
 * The Akili Portal backend (Backstage new backend system).
 */
import { createBackend } from '@backstage/backend-defaults';
import { portalBackendFeatures } from './features';
import { assertConfigEnvironment } from './preflight';
import { akiliRootHttpRouterServiceFactory } from './shutdown';

// Fail fast, naming the variable and the key, when production config refers to an unset
// environment variable (Backstage would otherwise drop the value and fail later, or not at all).
assertConfigEnvironment(process.argv, process.env);

const backend = createBackend();
// Backstage's root HTTP router, whose stop ends within seconds (the events bus polls held it 55 s).
backend.add(akiliRootHttpRouterServiceFactory);
for (const feature of portalBackendFeatures()) {
  backend.add(feature);
}
backend.start();
