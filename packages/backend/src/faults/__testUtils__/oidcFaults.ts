import { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleAkiliProvider from '@akili/plugin-auth-backend-module-akili-provider';
import {
  AuthentikTestProvider,
  startAuthentikTestProvider,
} from '@akili/authentik-test-provider';
import { ANSWER_MS } from './wait';

/** Where the provider sends the browser back to; only its path and query reach the backend. */
const CALLBACK_URL = 'http://127.0.0.1/api/auth/oidc/handler/frame';

/** Starts the Authentik-like provider, logging in the user named by `login_hint`. */
export function startProvider(): Promise<AuthentikTestProvider> {
  return startAuthentikTestProvider({
    host: '127.0.0.1',
    users: { jane: { groups: ['akili-acme-developer'] } },
    password: 'unused',
    acceptLoginHint: true,
    clients: [
      {
        clientId: 'backstage',
        clientSecret: 'backstage-secret',
        redirectUris: [CALLBACK_URL],
      },
    ],
  });
}

/** The control plane's tenant registry (acme active); like the real route, for services only. */
const tenantRegistryPlugin = createBackendPlugin({
  pluginId: 'akili',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        httpRouter.use(async (req, res, next) => {
          if (
            req.method !== 'POST' ||
            req.path !== '/v1/internal/tenant-status'
          ) {
            next();
            return;
          }
          try {
            await httpAuth.credentials(req, { allow: ['service'] });
            let text = '';
            for await (const chunk of req) text += chunk;
            const tenants: string[] = JSON.parse(text).tenants;
            res.json({
              tenants: Object.fromEntries(
                tenants.map(t => [
                  t,
                  t === 'acme' ? { status: 'active' } : null,
                ]),
              ),
            });
          } catch (error) {
            next(error);
          }
        });
      },
    });
  },
});

/** Another plugin's route: who the caller's Backstage token says they are. */
const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        httpRouter.use(async (req, res, next) => {
          if (req.method !== 'GET' || req.path !== '/me') {
            next();
            return;
          }
          try {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
            });
            res.json({ user: credentials.principal.userEntityRef });
          } catch (error) {
            next(error);
          }
        });
      },
    });
  },
});

/** Cookies of one browser, for both servers (the jar ignores domains and paths). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(setCookie: string[]) {
    for (const cookie of setCookie) {
      const [pair, ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some(attribute => {
        const [key, val] = attribute.trim().split('=');
        return (
          (key.toLowerCase() === 'expires' && Date.parse(val) < Date.now()) ||
          (key.toLowerCase() === 'max-age' && Number(val) <= 0)
        );
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

/** One answer: status, text, JSON body when there is one, and the redirect's location. */
export interface Answer {
  status: number;
  text: string;
  body: any;
  location: string | null;
  setCookie: string[];
}

/** Fetches without following redirects, giving up after {@link ANSWER_MS} (a hang throws). */
export async function ask(
  url: string,
  init: { cookies?: CookieJar; headers?: Record<string, string> } = {},
): Promise<Answer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      redirect: 'manual',
      headers: {
        ...init.headers,
        ...(init.cookies ? { cookie: init.cookies.header() } : {}),
      },
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new Error(
      `GET ${url} got no answer within ${ANSWER_MS} ms: ${
        (error as Error).name
      }: ${(error as Error).message}`,
    );
  }
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const setCookie = response.headers.getSetCookie();
  init.cookies?.store(setCookie);
  return {
    status: response.status,
    text,
    body,
    location: response.headers.get('location'),
    setCookie,
  };
}

/** The frame handler's answer to the app: `{ response }` or `{ error }` of the web message. */
export function readAuthMessage(html: string): {
  type: string;
  response?: any;
  error?: { name: string; message: string };
} {
  const match = html.match(/decodeURIComponent\('([^']*)'\)/);
  if (!match) throw new Error(`No auth message in ${html.slice(0, 500)}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

/**
 * The portal's auth backend (auth plugin, the Akili provider module against `provider`, real
 * token handling) with another plugin's route, `/api/probe/me`.
 */
export async function startAuthPortal(provider: AuthentikTestProvider) {
  const backend = await startTestBackend({
    features: [
      authPlugin,
      authModuleAkiliProvider,
      tenantRegistryPlugin,
      probePlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://127.0.0.1:3000' },
          akili: { signIn: { guest: { groups: ['akili-acme-developer'] } } },
          auth: {
            session: { secret: 'test-session-secret' },
            providers: {
              oidc: {
                development: {
                  metadataUrl: provider.metadataUrl,
                  clientId: 'backstage',
                  clientSecret: 'backstage-secret',
                  callbackUrl: CALLBACK_URL,
                  prompt: 'auto',
                  additionalScopes: ['offline_access'],
                },
              },
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  /** `GET /api/auth/oidc/start` as the app opens it, for `user`. */
  const start = (cookies: CookieJar, user: string) =>
    ask(
      `${base}/api/auth/oidc/start?env=development&login_hint=${encodeURIComponent(
        user,
      )}`,
      { cookies },
    );

  /**
   * Goes from the start's redirect through the provider (which logs in `user` by login_hint)
   * until it sends the browser back to the callback; returns the callback's path and query.
   */
  async function authorize(cookies: CookieJar, startAnswer: Answer) {
    let location = new URL(startAnswer.location!);
    location.searchParams.set('login_hint', 'jane');
    for (let hop = 0; hop < 10; hop++) {
      if (location.href.startsWith(CALLBACK_URL)) {
        return `${location.pathname}${location.search}`;
      }
      const answer = await ask(location.href, { cookies });
      if (!answer.location) {
        throw new Error(
          `The provider answered ${answer.status} without a redirect: ${answer.text}`,
        );
      }
      location = new URL(answer.location, location);
    }
    throw new Error('Too many redirects');
  }

  /** The callback as the popup's browser opens it: the frame handler's message to the app. */
  async function callback(cookies: CookieJar, path: string) {
    const answer = await ask(`${base}${path}`, { cookies });
    return readAuthMessage(answer.text);
  }

  /** A whole popup sign-in of jane; returns her cookies and the frame handler's message. */
  async function signIn() {
    const cookies = new CookieJar();
    const started = await start(cookies, 'jane');
    if (started.status !== 302) {
      throw new Error(
        `Sign-in start answered ${started.status}: ${started.text}`,
      );
    }
    const message = await callback(cookies, await authorize(cookies, started));
    return { cookies, message };
  }

  return {
    backend,
    base,
    start,
    authorize,
    callback,
    signIn,
    /** `GET /api/auth/oidc/refresh` as the app calls it, with the session's cookies. */
    refresh: (cookies: CookieJar) =>
      ask(`${base}/api/auth/oidc/refresh?env=development`, {
        cookies,
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      }),
    /** Another plugin's route with a Backstage token. */
    probe: (token: string) =>
      ask(`${base}/api/probe/me`, {
        headers: { authorization: `Bearer ${token}` },
      }),
  };
}
