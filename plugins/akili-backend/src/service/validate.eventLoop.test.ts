import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import {
  ManifestParserPool,
  manifestParserServiceRef,
} from '@akili/plugin-akili-node';
import { akiliPlugin } from '../plugin';

/** A manifest of about `bytes` whose every label is a number: one problem per line. */
function manyProblems(bytes: number): string {
  const head = [
    'apiVersion: akili.io/v1alpha1',
    'kind: DataProduct',
    'metadata:',
    '  name: orders',
    '  namespace: acme',
    '  labels:',
    '',
  ].join('\n');
  const lines: string[] = [head];
  let size = head.length;
  for (let i = 0; size < bytes - 32; i++) {
    const line = `    k${i}: ${i}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

// Workers load the parser's TypeScript sources first: slow on a busy machine.
jest.setTimeout(180_000);

describe('POST /api/akili/v1/manifests/validate of a 1 MiB manifest', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  // The backend's parser, with a time limit for a machine that may be very busy: this test is
  // about the event loop, not about how long parsing takes.
  const parser = new ManifestParserPool({ timeLimitMs: 120_000 });

  const validate = (body: string) =>
    request(server)
      .post('/api/akili/v1/manifests/validate')
      .set('Authorization', mockCredentials.user.header())
      .set('Content-Type', 'application/yaml')
      .send(body);

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        akiliPlugin,
        createServiceFactory({
          service: manifestParserServiceRef,
          deps: {},
          factory: () => parser,
        }),
      ],
    }));
    // The parser's workers are loaded: what follows measures parsing, not loading.
    await validate(`kind: x\n${' '.repeat(64 * 1024)}`);
  });

  afterAll(() => parser.close());

  it('keeps answering other requests while the manifest is parsed', async () => {
    const manifest = manyProblems(MAX_MANIFEST_BYTES);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    let validating = true;
    const validation = validate(manifest).then(res => {
      validating = false;
      return res;
    });
    // Other requests, one after the other, for as long as the validation runs.
    const answered: number[] = [];
    while (validating) {
      const res = await request(server).get('/.backstage/health/v1/liveness');
      expect(res.status).toBe(200);
      answered.push(performance.now());
      // A short pause: the test's own requests should not crowd out the worker on a small machine.
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    const res = await validation;
    const duration = performance.now() - started;
    lag.disable();

    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors).toHaveLength(101);
    expect(res.body.errors).toContainEqual({
      path: '$.metadata.labels.k0',
      line: 7,
      column: 9,
      message: 'must be string, not number',
    });
    // Parsed on the event loop, the loop would stand still for (nearly) the whole validation:
    // no request answered meanwhile, one delay as long as the validation. Off the loop, requests
    // keep being answered and no delay comes near the validation's duration. Compared with the
    // duration, not a fixed time: the machine may be slow, not the loop.
    const maxLagMs = lag.max / 1e6;
    expect(
      answered.filter(at => at < started + duration - maxLagMs).length,
    ).toBeGreaterThanOrEqual(3);
    expect(maxLagMs).toBeLessThan(duration / 2);
  });
});
