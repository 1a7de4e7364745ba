// A minimal Backstage backend (one plugin, SQLite in memory) started under
// `node --require ../../instrumentation.js` by instrumentation.test.ts: shows what the HTTP
// instrumentation records for a route of a plugin behind Backstage's own routers.
const { createBackend } = require('@backstage/backend-defaults');
const {
  coreServices,
  createBackendPlugin,
} = require('@backstage/backend-plugin-api');
// Express comes with @backstage/backend-defaults; the backend's package.json does not list it.
// eslint-disable-next-line @backstage/no-undeclared-imports
const express = require('express');

const fixturePlugin = createBackendPlugin({
  pluginId: 'fixture',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ httpRouter, lifecycle }) {
        const router = express.Router();
        router.get('/runs/:tenant/:runId', (req, res) => {
          res.json({ runId: req.params.runId });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/runs', allow: 'unauthenticated' });
        lifecycle.addStartupHook(() => {
          process.stdout.write('STARTED\n');
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(fixturePlugin);
backend.start();
