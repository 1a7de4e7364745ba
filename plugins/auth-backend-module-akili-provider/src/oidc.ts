import { ConfigReader, JsonObject } from '@backstage/config';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthProviderFactory,
  createOAuthAuthenticator,
} from '@backstage/plugin-auth-node';

/**
 * How long the identity provider has to answer one request when `timeout` is not configured
 * (Backstage's own default is 10 s): a provider that hangs is a clear error within 5 s.
 */
export const DEFAULT_OIDC_TIMEOUT = { seconds: 4 };

/** Connection failures: the provider is down, unreachable or hung, not refusing the user. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * How long the provider's discovery document has to answer the check before a sign-in sends the
 * browser to the provider.
 */
const START_CHECK_MS = 4000;

type OidcContext = ReturnType<typeof oidcAuthenticator.initialize>;

interface ResilientContext {
  /** The issuer's address, from `metadataUrl`, for the errors. */
  provider: string;
  metadataUrl: string;
  /** The upstream context, discovering the provider again after a failed discovery. */
  current(): OidcContext;
}

/** Whether an error of openid-client means the provider could not be reached or answer. */
function isUnavailable(error: unknown): boolean {
  if (!isError(error)) return false;
  const { code, response } = error as {
    code?: string;
    response?: { statusCode?: number };
  };
  if (code && NETWORK_CODES.has(code)) return true;
  if (error.message.startsWith('outgoing request timed out')) return true;
  return (response?.statusCode ?? 0) >= 500;
}

function describe(error: unknown): string {
  if (!isError(error)) return String(error);
  const { code } = error as { code?: string };
  return code && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}

function unavailable(
  ctx: ResilientContext,
  doing: string,
  error: unknown,
): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `The identity provider at ${
      ctx.provider
    } could not be reached while ${doing}: ${describe(
      error,
    )}. Try again when it is back`,
  );
}

/** Throws the 503 naming the provider unless its discovery document answers. */
async function checkAnswers(ctx: ResilientContext, doing: string) {
  let status: number;
  try {
    const response = await fetch(ctx.metadataUrl, {
      signal: AbortSignal.timeout(START_CHECK_MS),
    });
    await response.arrayBuffer();
    status = response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw unavailable(
      ctx,
      doing,
      (error as Error)?.name === 'TimeoutError'
        ? new Error(`no answer within ${START_CHECK_MS / 1000} s`)
        : Object.assign(new Error(cause?.code ?? String(error)), {
            code: cause?.code,
          }),
    );
  }
  if (status >= 500) {
    throw unavailable(ctx, doing, new Error(`HTTP ${status}`));
  }
}

/** Runs `fn` with the discovered provider; a provider that is away is a 503 naming it. */
async function withProvider<T>(
  ctx: ResilientContext,
  doing: string,
  fn: (upstream: OidcContext) => Promise<T>,
): Promise<T> {
  const upstream = ctx.current();
  try {
    await upstream.promise;
  } catch (error) {
    throw unavailable(ctx, doing, error);
  }
  try {
    return await fn(upstream);
  } catch (error) {
    if (isUnavailable(error)) throw unavailable(ctx, doing, error);
    throw error;
  }
}

/**
 * Backstage's OpenID Connect authenticator, made to survive its provider going away:
 * - discovery starts at boot as before, but a failed discovery (the provider down at boot, or
 *   at any time before the first success) is retried at the next request instead of failing
 *   every sign-in until a restart;
 * - the provider down, unreachable or hung answers a `ServiceUnavailableError` (503) naming it
 *   at sign-in, callback, refresh and sign-out, instead of a 500 with a bare `ECONNREFUSED`
 *   (or, at sign-in, a redirect of the browser to a provider that is not there);
 * - each request to the provider has {@link DEFAULT_OIDC_TIMEOUT} unless `timeout` is set.
 */
export const resilientOidcAuthenticator = createOAuthAuthenticator({
  defaultProfileTransform: oidcAuthenticator.defaultProfileTransform,
  scopes: oidcAuthenticator.scopes,
  initialize({ callbackUrl, config }): ResilientContext {
    const withTimeout = config.has('timeout')
      ? config
      : new ConfigReader({
          ...config.get<JsonObject>(),
          timeout: DEFAULT_OIDC_TIMEOUT,
        });
    const metadataUrl = config.getString('metadataUrl');
    let upstream: OidcContext | undefined;
    const current = () => {
      if (!upstream) {
        const started = oidcAuthenticator.initialize({
          callbackUrl,
          config: withTimeout,
        });
        upstream = started;
        started.promise.catch(() => {
          // Discovered again at the next request.
          if (upstream === started) upstream = undefined;
        });
      }
      return upstream;
    };
    current();
    return {
      metadataUrl,
      provider: metadataUrl.replace(/\.well-known\/openid-configuration$/, ''),
      current,
    };
  },
  start: (input, ctx) =>
    withProvider(ctx, 'starting the sign-in', async upstream => {
      // The start only builds the provider's authorize URL from the discovered metadata: with
      // the provider away, the user would land on the browser's "cannot connect" page in the
      // popup. Its discovery document answering first makes that a 503 naming it instead.
      await checkAnswers(ctx, 'starting the sign-in');
      return oidcAuthenticator.start(input, upstream);
    }),
  authenticate: (input, ctx) =>
    withProvider(ctx, 'completing the sign-in', async upstream => {
      try {
        return await oidcAuthenticator.authenticate(input, upstream);
      } catch (error) {
        // Passport's helper keeps only the message of the token request's error ("Authentication
        // failed, connect ECONNREFUSED ..."): whether the provider is away is asked again.
        await checkAnswers(ctx, 'completing the sign-in');
        throw error;
      }
    }),
  refresh: (input, ctx) =>
    withProvider(ctx, 'refreshing the session', upstream =>
      oidcAuthenticator.refresh(input, upstream),
    ),
  logout: (input, ctx) =>
    withProvider(ctx, 'signing out', async upstream => {
      await oidcAuthenticator.logout?.(input, upstream);
    }),
});

/**
 * Answers a refresh the provider could not serve with its 503 rather than the 401 Backstage
 * wraps every refresh failure in: the session is not invalid, its provider is away, and a 401
 * would tell the app the user signed out.
 */
export function withProviderUnavailableRefresh(
  factory: AuthProviderFactory,
): AuthProviderFactory {
  return options => {
    // An environment handler (a class): its methods are delegated, not copied.
    const handlers = factory(options);
    return {
      start: (req, res) => handlers.start(req, res),
      frameHandler: (req, res) => handlers.frameHandler(req, res),
      ...(handlers.logout
        ? { logout: (req, res) => handlers.logout!(req, res) }
        : {}),
      ...(handlers.refresh
        ? {
            async refresh(req, res) {
              try {
                await handlers.refresh!(req, res);
              } catch (error) {
                const cause = (error as { cause?: unknown }).cause;
                if (
                  isError(cause) &&
                  cause.name === 'ServiceUnavailableError'
                ) {
                  throw cause;
                }
                throw error;
              }
            },
          }
        : {}),
    };
  };
}
