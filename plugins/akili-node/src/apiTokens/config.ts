import { Config } from '@backstage/config';

/**
 * `akili.apiTokens`: the keys Akili API tokens are signed with.
 *
 * @public
 */
export interface AkiliApiTokensConfig {
  /** The current secret first (new tokens are signed with it), then previous ones (verified only). */
  secrets: string[];
}

/** A shorter secret is refused at start-up. */
const MIN_SECRET_LENGTH = 32;

/**
 * Reads `akili.apiTokens` (`secret`, optional `previousSecrets`); `undefined` when no secret is
 * configured (API tokens are then neither issued nor accepted). A secret shorter than 32
 * characters fails at start-up.
 *
 * @public
 */
export function readAkiliApiTokensConfig(
  rootConfig: Config,
): AkiliApiTokensConfig | undefined {
  const config = rootConfig.getOptionalConfig('akili.apiTokens');
  const secret = config?.getOptionalString('secret');
  if (!config || secret === undefined) {
    return undefined;
  }
  const previous = config.getOptionalStringArray('previousSecrets') ?? [];
  for (const [key, value] of [
    ['secret', secret],
    ...previous.map((p, i) => [`previousSecrets[${i}]`, p]),
  ]) {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `akili.apiTokens.${key} must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 48\`)`,
      );
    }
  }
  return { secrets: [secret, ...previous] };
}
