// A tiny Express app started under `node --require ../../instrumentation.js` by
// instrumentation.test.ts: it answers like a plugin route and counts with @opentelemetry/api as
// the Akili plugins do, then prints its port.
// Express comes with @backstage/backend-defaults; the backend's package.json does not list it.
// eslint-disable-next-line @backstage/no-undeclared-imports
const express = require('express');
const { metrics } = require('@opentelemetry/api');

const counter = metrics
  .getMeter('akili-fixture')
  .createCounter('akili.fixture.calls', {
    description: 'Calls of the fixture',
  });

const router = express.Router();
router.get('/runs/:tenant/:runId', (req, res) => {
  counter.add(1, { outcome: 'ok' });
  res.json({ runId: req.params.runId });
});
const app = express();
app.use('/api/fixture', router);
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
