import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../__testUtils__/captureIo';
import {
  APP_URL,
  SignInUser,
  startSignInBackend,
} from '../__testUtils__/startSignInBackend';
import { configFile, resolveLogin } from '../lib/config';
import { ExitCode } from '../lib/io';
import { callPortal } from '../lib/portal';
import { runLogin, runWhoami } from './login';

jest.setTimeout(60_000);

describe('akili login in the browser', () => {
  let backend: Awaited<ReturnType<typeof startSignInBackend>>;
  let home: string;

  beforeAll(async () => {
    backend = await startSignInBackend();
  });
  afterAll(() => backend?.stop());
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-login-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /**
   * What the portal does in the user's browser, as real HTTP requests: the authorization URL
   * leads to the consent page (`/oauth2/authorize/:sessionId` of the app); the page reads the
   * session and, the user signed in, approves it with the user's portal token; the browser then
   * follows the answer's redirect to the CLI's listener. Records each step's answer.
   */
  function portalBrowser(
    user: SignInUser,
    tamper: (redirectUrl: URL) => URL = u => u,
  ) {
    const seen: {
      authorizeUrl?: URL;
      consent?: URL;
      session?: { clientName: string; redirectUri: string };
      redirectUrl?: URL;
      listener?: { status: number; text: string };
    } = {};
    const open = async (url: string) => {
      seen.authorizeUrl = new URL(url);
      const authorize = await fetch(url, { redirect: 'manual' });
      expect(authorize.status).toBe(302);
      seen.consent = new URL(authorize.headers.get('location')!);
      const sessionId = seen.consent.pathname.split('/').pop();
      const session = await fetch(
        `${backend.url}/api/auth/v1/sessions/${sessionId}`,
      );
      seen.session = await session.json();
      const approve = await fetch(
        `${backend.url}/api/auth/v1/sessions/${sessionId}/approve`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${await backend.portalToken(user)}`,
          },
        },
      );
      expect(approve.status).toBe(200);
      const { redirectUrl } = await approve.json();
      seen.redirectUrl = tamper(new URL(redirectUrl));
      const callback = await fetch(seen.redirectUrl);
      seen.listener = { status: callback.status, text: await callback.text() };
    };
    return { open, seen };
  }

  const envOf = () => ({ XDG_CONFIG_HOME: home });

  it('receives the code on the loopback listener, keeps the user token private, and whoami shows the user', async () => {
    const env = envOf();
    const io = captureIo(env, home);
    const browser = portalBrowser('alice');
    expect(
      await runLogin({ url: backend.url }, io, url => {
        void browser.open(url);
      }),
    ).toBe(ExitCode.Ok);

    // The portal's consent page was asked for the built-in CLI client, with PKCE and a state.
    const { authorizeUrl, consent, session, redirectUrl } = browser.seen;
    expect(authorizeUrl!.searchParams.get('client_id')).toBe(
      `${backend.url}/api/auth/.well-known/oauth-client/cli.json`,
    );
    expect(authorizeUrl!.searchParams.get('code_challenge_method')).toBe(
      'S256',
    );
    expect(authorizeUrl!.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(consent!.origin + path.dirname(consent!.pathname)).toBe(
      `${APP_URL}/oauth2/authorize`,
    );
    expect(session!.clientName).toBe('Backstage CLI');
    expect(redirectUrl!.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(redirectUrl!.pathname).toBe('/callback');
    expect(browser.seen.listener).toEqual({
      status: 200,
      text: expect.stringContaining('Signed in to Akili'),
    });
    expect(io.stdout()).toContain(
      `Signed in to ${backend.url} as user:default/alice`,
    );

    const file = configFile(env);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(saved.url).toBe(backend.url);
    expect(saved.token.split('.')).toHaveLength(3);
    const lifetime = Date.parse(saved.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(50 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    const whoami = captureIo(env, home);
    expect(await runWhoami({ format: 'json' }, whoami)).toBe(ExitCode.Ok);
    expect(JSON.parse(whoami.stdout())).toMatchObject({
      url: backend.url,
      userEntityRef: 'user:default/alice',
      platformAdmin: false,
      tenants: [{ name: 'acme', roles: ['developer'] }],
    });
  });

  it('acts as the user, never more: their own roles in their tenant (403 beyond them), another tenant not visible (404)', async () => {
    const env = envOf();
    const browser = portalBrowser('alice');
    expect(
      await runLogin({ url: backend.url }, captureIo(env, home), url => {
        void browser.open(url);
      }),
    ).toBe(ExitCode.Ok);
    const login = await resolveLogin(env);
    const read = (tenant: string) =>
      callPortal(login, { method: 'GET', path: `/v1/tenants/${tenant}` });
    expect(await read('acme')).toMatchObject({
      status: 200,
      body: { name: 'acme' },
    });
    // Akili's single authorization path answers 404 for a tenant the caller is not in (it does
    // not tell which tenants exist), 403 for what their role does not grant.
    expect(await read('globex')).toMatchObject({
      status: 404,
      body: { error: { message: "No tenant 'globex'" } },
    });
    expect(
      await callPortal(login, {
        method: 'GET',
        path: '/v1/tenants/acme/members',
      }),
    ).toMatchObject({
      status: 403,
      body: {
        error: {
          message: expect.stringContaining(
            "user:default/alice needs role operator in tenant 'acme'",
          ),
        },
      },
    });
  });

  it('refuses an answer with a wrong state and keeps waiting for the right one', async () => {
    const env = envOf();
    const io = captureIo(env, home);
    let forged: { status: number; text: string } | undefined;
    const browser = portalBrowser('alice');
    const login = runLogin({ url: backend.url }, io, async url => {
      // Another page sends the listener a code of its own, with a state it guessed.
      const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
      const answer = await fetch(
        `${redirectUri}?code=forged&state=${'x'.repeat(43)}`,
      );
      forged = { status: answer.status, text: await answer.text() };
      await browser.open(url);
    });
    expect(await login).toBe(ExitCode.Ok);
    expect(forged).toEqual({
      status: 400,
      text: expect.stringContaining('state does not match'),
    });
    expect(io.stderr()).toContain(
      'Ignored a sign-in answer whose state does not match this login',
    );
    expect(io.stdout()).toContain('as user:default/alice');
  });

  it('a replayed code is refused by the portal and nothing is saved', async () => {
    // First sign-in: the code is used once.
    const first = portalBrowser('alice');
    expect(
      await runLogin({ url: backend.url }, captureIo(envOf(), home), url => {
        void first.open(url);
      }),
    ).toBe(ExitCode.Ok);
    const usedCode = first.seen.redirectUrl!.searchParams.get('code')!;

    // Second sign-in: its listener gets the used code, with the right state.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-login-'));
    try {
      const env = { XDG_CONFIG_HOME: other };
      const io = captureIo(env, other);
      const second = portalBrowser('bob', url => {
        url.searchParams.set('code', usedCode);
        return url;
      });
      expect(
        await runLogin({ url: backend.url }, io, url => {
          void second.open(url);
        }),
      ).toBe(ExitCode.Auth);
      expect(io.stderr()).toContain(
        `The portal at ${backend.url} refused the authorization code (400: Authorization code already used); run "akili login" again`,
      );
      expect(io.stderr()).toContain('Not signed in: nothing was saved');
      expect(fs.existsSync(configFile(env))).toBe(false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('a code taken from another sign-in is refused: bound to its PKCE verifier and its listener', async () => {
    // A code approved for one listener (its own verifier) brought to another.
    const env = envOf();
    const io = captureIo(env, home);
    let stolen: URL | undefined;
    const thief = portalBrowser('bob', url => {
      stolen = new URL(url);
      return new URL('http://127.0.0.1:9/unused');
    });
    // The thief's session: started by a login that never completes (its listener closes).
    const abandoned = runLogin(
      { url: backend.url, timeout: 0.5 },
      captureIo({ XDG_CONFIG_HOME: home }, home),
      url => thief.open(url).catch(() => undefined),
    );
    expect(await abandoned).toBe(ExitCode.Auth);
    const code = stolen!.searchParams.get('code')!;
    // Without the verifier only the started login has, the code is worth nothing.
    const exchange = await fetch(`${backend.url}/api/auth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${stolen!.origin}${stolen!.pathname}`,
        code_verifier: 'a'.repeat(43),
      }),
    });
    expect(exchange.status).toBe(400);
    expect(await exchange.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Invalid code verifier',
    });
    // Brought to another login's listener, it is refused too.
    const browser = portalBrowser('alice', url => {
      url.searchParams.set('code', code);
      return url;
    });
    expect(
      await runLogin({ url: backend.url }, io, url => {
        void browser.open(url);
      }),
    ).toBe(ExitCode.Auth);
    expect(io.stderr()).toMatch(
      /refused the authorization code \(400: Redirect URI mismatch\)/,
    );
    expect(fs.existsSync(configFile(env))).toBe(false);
  });

  it('times out cleanly with a clear message when no sign-in arrives', async () => {
    const io = captureIo(envOf(), home);
    let redirectUri = '';
    const started = Date.now();
    expect(
      await runLogin({ url: backend.url, timeout: 0.3 }, io, url => {
        redirectUri = new URL(url).searchParams.get('redirect_uri')!;
      }),
    ).toBe(ExitCode.Auth);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(io.stderr()).toContain(
      'No sign-in arrived within 0.3 s; run "akili login" again (--timeout <seconds> waits longer)',
    );
    // The listener is closed.
    await expect(fetch(redirectUri)).rejects.toThrow();
    expect(fs.existsSync(configFile(envOf()))).toBe(false);
  });

  it('prints the address with --no-browser and says when the user denies', async () => {
    const io = captureIo(envOf(), home);
    const login = runLogin({ url: backend.url, noBrowser: true }, io, () => {
      throw new Error('no browser is opened with --no-browser');
    });
    // The user opens the printed address; the consent page's "deny".
    const printed = await waitFor(
      () => io.stderr().match(/\n {2}(http\S+)\n/)?.[1],
    );
    const authorize = await fetch(printed, { redirect: 'manual' });
    const sessionId = new URL(authorize.headers.get('location')!).pathname
      .split('/')
      .pop();
    const reject = await fetch(
      `${backend.url}/api/auth/v1/sessions/${sessionId}/reject`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await backend.portalToken('alice')}`,
        },
      },
    );
    const { redirectUrl } = await reject.json();
    await fetch(redirectUrl);
    expect(await login).toBe(ExitCode.Auth);
    expect(io.stderr()).toContain(
      'The portal did not sign you in: User denied the request',
    );
  });

  it('signs in again to the saved portal without --url, and refuses a bad --timeout', async () => {
    const env = envOf();
    const first = portalBrowser('alice');
    expect(
      await runLogin({ url: backend.url }, captureIo(env, home), url => {
        void first.open(url);
      }),
    ).toBe(ExitCode.Ok);
    const again = captureIo(env, home);
    const second = portalBrowser('bob');
    expect(
      await runLogin({}, again, url => {
        void second.open(url);
      }),
    ).toBe(ExitCode.Ok);
    expect(again.stdout()).toContain(
      `Signed in to ${backend.url} as user:default/bob`,
    );
    await expect(
      runLogin({ url: backend.url, timeout: 0 }, captureIo(env, home)),
    ).rejects.toThrow('--timeout must be a number of seconds above 0, not "0"');
  });

  it('says when the sign-in expired, and to sign in again', async () => {
    const env = envOf();
    fs.mkdirSync(path.join(home, 'akili'));
    fs.writeFileSync(
      configFile(env),
      JSON.stringify({
        url: backend.url,
        token: 'expired',
        expiresAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    const io = captureIo(env, home);
    expect(await runWhoami({ format: 'text' }, io)).toBe(ExitCode.Auth);
    expect(io.stderr()).toBe(
      `Your sign-in to ${backend.url} expired at 2026-01-01T00:00:00.000Z: run "akili login --url ${backend.url}" again\n`,
    );
  });

  it('says when the portal does not offer browser sign-in', async () => {
    const io = captureIo(envOf(), home);
    const other = await startSignInBackend({ browserSignIn: false });
    try {
      expect(
        await runLogin({ url: other.url }, io, () => {
          throw new Error('never opened');
        }),
      ).toBe(ExitCode.Auth);
    } finally {
      await other.stop();
    }
    expect(io.stderr()).toBe(
      `The portal at ${other.url} does not offer browser sign-in (auth.clientIdMetadataDocuments is not enabled); sign in with --token <Akili API token> instead\nNot signed in: nothing was saved\n`,
    );
  });
});

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('Timed out waiting');
}
