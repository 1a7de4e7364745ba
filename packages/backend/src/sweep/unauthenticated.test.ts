import type { Server } from 'node:http';
import {
  akiliCoverage,
  Coverage,
  coverageMessage,
  dropSweepDatabases,
  send,
  sweepDatabases,
} from './__testUtils__/harness';
import { requestFor, TENANT_A } from './__testUtils__/routeTable';
import { AuthProbe, startSweepBackend } from './__testUtils__/sweepBackend';
import {
  foreignOidcToken,
  issueUserToken,
  readClaims,
  withForgedSignature,
  withTamperedPayload,
} from './__testUtils__/tokens';

jest.setTimeout(240_000);

/**
 * Every route of every Akili plugin, as mounted in a backend with the portal's Akili features,
 * must refuse callers without valid Backstage credentials with 401.
 */
describe.each(sweepDatabases())('401 sweep on %s', (_id, database) => {
  let stop: () => Promise<void>;
  let server: Server;
  let probe: AuthProbe;
  let coverage: Coverage;
  let aliceToken: string;

  beforeAll(async () => {
    const started = await startSweepBackend(database);
    stop = () => started.backend.stop();
    server = started.server;
    probe = started.probe;
    coverage = akiliCoverage(started.server);
    aliceToken = await issueUserToken(started.server, 'alice');
  });

  afterAll(async () => {
    jest.useRealTimers();
    await stop?.();
    await dropSweepDatabases(database);
  });

  it('knows how to call every mounted Akili route', () => {
    expect(coverageMessage(coverage)).toBe('');
    // The walk found the plugin's routes at all (a broken walk would find none).
    expect(coverage.routes.length).toBeGreaterThanOrEqual(5);
  });

  /** Sends every swept route with `authorization`; returns `METHOD path -> status` for non-401s. */
  async function sweep(authorization: string | undefined) {
    const answers: Record<string, number> = {};
    for (const route of coverage.routes) {
      const { url, body } = requestFor(route.path, route.call, TENANT_A);
      const res = await send(server, route.method, url, {
        authorization,
        body,
      });
      answers[`${route.key} (${url})`] = res.status;
    }
    return Object.fromEntries(
      Object.entries(answers).filter(([, status]) => status !== 401),
    );
  }

  it('answers 401 without a token', async () => {
    expect(await sweep(undefined)).toEqual({});
    expect(await sweep('Bearer')).toEqual({});
    expect(await sweep('Basic YWxpY2U6c2VjcmV0')).toEqual({});
  });

  it('answers 401 to a user token with a tampered payload or signature', async () => {
    // The untouched token is accepted: what follows fails because of the tampering only.
    const me = await send(server, 'GET', '/api/akili/v1/me', {
      authorization: `Bearer ${aliceToken}`,
    });
    expect(me.status).toBe(200);
    expect(me.body.platformAdmin).toBe(false);

    expect(await sweep(`Bearer ${withTamperedPayload(aliceToken)}`)).toEqual(
      {},
    );
    expect(await sweep(`Bearer ${withForgedSignature(aliceToken)}`)).toEqual(
      {},
    );
  });

  it('answers 401 to tokens for another audience', async () => {
    // Plugin-to-plugin tokens minted by a plugin of this backend for the catalog.
    expect(
      await sweep(`Bearer ${await probe.serviceToken('catalog')}`),
    ).toEqual({});
    expect(
      await sweep(
        `Bearer ${await probe.onBehalfOfUserToken(aliceToken, 'catalog')}`,
      ),
    ).toEqual({});
    // An identity provider's ID token for the portal's OIDC client, not a Backstage token.
    expect(await sweep(`Bearer ${foreignOidcToken('alice')}`)).toEqual({});
  });

  it('lets the deliberately public routes answer without a token', async () => {
    for (const route of coverage.publicRoutes) {
      const res = await send(server, route.method, route.path);
      expect({ route: route.path, status: res.status }).toEqual({
        route: route.path,
        status: 200,
      });
    }
  });

  // Last: it moves the clock.
  it('answers 401 to an expired user token', async () => {
    const { exp } = readClaims(aliceToken) as { exp: number };
    // Only Date is faked: timers, I/O and the server run for real.
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    jest.setSystemTime(exp * 1000 + 60_000);
    try {
      // A token issued now is accepted now: the signing keys are still valid, so the old
      // token fails because it expired.
      const fresh = await issueUserToken(server, 'alice');
      const me = await send(server, 'GET', '/api/akili/v1/me', {
        authorization: `Bearer ${fresh}`,
      });
      expect(me.status).toBe(200);

      expect(await sweep(`Bearer ${aliceToken}`)).toEqual({});
    } finally {
      jest.useRealTimers();
    }
  });
});
