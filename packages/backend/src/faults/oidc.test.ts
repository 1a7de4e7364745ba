/*
 * Fault: the OpenID provider (Authentik) down during sign-in and token refresh. The auth backend
 * with the Akili provider module runs against the Authentik-like test provider (a real OpenID
 * Provider); a user signs in over HTTP (start, the provider's authorize, the frame callback, with
 * cookies), then the provider stops. While it is down, a sign-in start, a callback of a sign-in
 * already at the provider and a refresh of the existing session answer a 503 naming the identity
 * provider within 5 s, and the Backstage token already issued keeps working for other plugins'
 * routes. Back on the same port, sign-in and refresh work again without a restart, the session
 * refreshing with its own refresh token. A backend started while the provider is down signs in
 * once it is back (discovery is retried, not cached as failed).
 */
import { AuthentikTestProvider } from '@akili/authentik-test-provider';
import {
  Answer,
  CookieJar,
  startAuthPortal,
  startProvider,
} from './__testUtils__/oidcFaults';
import { RECOVERY_MS, sleep, until } from './__testUtils__/wait';

jest.setTimeout(60_000);

describe('the OpenID provider down during sign-in and token refresh', () => {
  let provider: AuthentikTestProvider;
  const backends: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    provider = await startProvider();
  });

  afterAll(async () => {
    for (const backend of backends) await backend.stop();
    await provider?.close();
  });

  const start = async (...args: Parameters<typeof startAuthPortal>) => {
    const portal = await startAuthPortal(...args);
    backends.push(portal.backend);
    return portal;
  };

  /** A 503 naming the identity provider (its issuer) and what was being done. */
  function expectProvider503(answer: Answer, doing: string) {
    expect({ status: answer.status, name: answer.body?.error?.name }).toEqual({
      status: 503,
      name: 'ServiceUnavailableError',
    });
    expect(answer.body.error.message).toContain(
      `The identity provider at ${provider.issuer} could not be reached while ${doing}`,
    );
  }

  it('answers 503s naming the provider while it is down, keeps issued tokens working, and recovers without a restart', async () => {
    const portal = await start(provider);
    const session = await portal.signIn();
    const token = session.message.response.backstageIdentity.token;
    expect((await portal.probe(token)).body).toEqual({
      user: session.message.response.backstageIdentity.identity.userEntityRef,
    });
    expect((await portal.refresh(session.cookies)).status).toBe(200);

    // A second user is at the provider's login when it goes away: the callback cannot finish.
    const midway = new CookieJar();
    const callbackPath = await portal.authorize(
      midway,
      await portal.start(midway, 'jane'),
    );

    await provider.setDown(true);

    const samples: Record<'start' | 'refresh' | 'probe', Answer[]> = {
      start: [],
      refresh: [],
      probe: [],
    };
    // A few rounds of users arriving, sessions refreshing and pages loading meanwhile.
    for (let round = 0; round < 5; round++) {
      const [started, refreshed, probed] = await Promise.all([
        portal.start(new CookieJar(), 'jane'),
        portal.refresh(session.cookies),
        portal.probe(token),
      ]);
      samples.start.push(started);
      samples.refresh.push(refreshed);
      samples.probe.push(probed);
      await sleep(200);
    }
    samples.start.forEach(a => expectProvider503(a, 'starting the sign-in'));
    samples.refresh.forEach(a =>
      expectProvider503(a, 'refreshing the session'),
    );
    expect(samples.probe.map(a => a.status)).toEqual([200, 200, 200, 200, 200]);

    const failedCallback = await portal.callback(midway, callbackPath);
    expect(failedCallback.error?.name).toBe('ServiceUnavailableError');
    expect(failedCallback.error?.message).toContain(
      `The identity provider at ${provider.issuer} could not be reached while completing the sign-in`,
    );

    await provider.setDown(false);

    // Back by itself: the existing session refreshes with its refresh token, and new users sign in.
    const recovered = await until(
      async () =>
        (await portal.refresh(session.cookies)).status === 200 &&
        (await portal.start(new CookieJar(), 'jane')).status === 302,
      RECOVERY_MS,
    );
    expect(recovered).toBe(true);
    const refreshed = await portal.refresh(session.cookies);
    expect(refreshed.status).toBe(200);
    expect(
      (await portal.probe(refreshed.body.backstageIdentity.token)).status,
    ).toBe(200);
    const again = await portal.signIn();
    expect(again.message.response.backstageIdentity.identity).toEqual(
      session.message.response.backstageIdentity.identity,
    );
  });

  it('starts while the provider is down, answers 503s naming it, and signs in once it is back', async () => {
    await provider.setDown(true);
    let portal: Awaited<ReturnType<typeof start>>;
    try {
      portal = await start(provider);
      expectProvider503(
        await portal.start(new CookieJar(), 'jane'),
        'starting the sign-in',
      );
    } finally {
      await provider.setDown(false);
    }
    const recovered = await until(
      async () => (await portal.start(new CookieJar(), 'jane')).status === 302,
      RECOVERY_MS,
    );
    expect(recovered).toBe(true);
    const session = await portal.signIn();
    expect(
      (await portal.probe(session.message.response.backstageIdentity.token))
        .status,
    ).toBe(200);
    expect((await portal.refresh(session.cookies)).status).toBe(200);
  });
});
