import { InputError, NotAllowedError } from '@backstage/errors';
import {
  PlaceholderResolver,
  PlaceholderResolverParams,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { JsonValue } from '@backstage/types';
import yaml from 'yaml';
import { CatalogReadGuard, describeRefusal } from './readGuard';

/**
 * The location type of a placeholder's base: the catalog passes only the target, which is a URL
 * for `url:` locations and a path for `file:` ones.
 */
function baseLocation(baseUrl: string) {
  try {
    const url = new URL(baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return { type: 'url', target: baseUrl };
    }
  } catch {
    // not a URL: a file path
  }
  return { type: 'file', target: baseUrl };
}

/**
 * Reads the file a placeholder names, after the guard allowed it. Errors name the placeholder
 * and the value the entity gave, never the file's content nor the reader's error text.
 */
async function readGuarded(
  guard: CatalogReadGuard,
  params: PlaceholderResolverParams,
): Promise<{ content: string; url: string }> {
  const { key, value, baseUrl } = params;
  if (typeof value !== 'string') {
    throw new InputError(
      `Placeholder $${key} expects a string: an absolute URL or a path relative to the entity's file`,
    );
  }
  let url: string;
  try {
    url = params.resolveUrl(value, baseUrl);
  } catch {
    throw new InputError(
      `Placeholder $${key} could not form a URL from '${value}'`,
    );
  }
  const refusal = await guard.check(
    { type: 'url', target: url },
    baseLocation(baseUrl),
    { allowLocal: false },
  );
  if (refusal) {
    throw new NotAllowedError(
      `Placeholder $${key} may not read '${value}': ${describeRefusal(
        refusal,
      )}`,
    );
  }
  let data: Buffer;
  try {
    data = await params.read(url);
  } catch (error) {
    const notFound = (error as Error)?.name === 'NotFoundError';
    throw new InputError(
      `Placeholder $${key} could not read '${value}'${
        notFound ? ': not found' : ''
      }`,
    );
  }
  return { content: data.toString('utf-8'), url };
}

function emitRefresh(params: PlaceholderResolverParams, url: string) {
  params.emit(processingResult.refresh(`url:${url}`));
}

/**
 * The `$text`, `$json` and `$yaml` placeholders, read through the read guard: only from the
 * entity's own source and, on a user's behalf, only from the user's tenants. Unlike the
 * catalog's own resolvers, a parse error says where (a line), never what the file holds.
 *
 * @public
 */
export function createGuardedPlaceholderResolvers(
  guard: CatalogReadGuard,
): Record<'text' | 'json' | 'yaml', PlaceholderResolver> {
  return {
    async text(params) {
      const { content, url } = await readGuarded(guard, params);
      emitRefresh(params, url);
      return content;
    },

    async json(params) {
      const { content, url } = await readGuarded(guard, params);
      emitRefresh(params, url);
      try {
        return JSON.parse(content) as JsonValue;
      } catch {
        throw new InputError(
          `Placeholder $${params.key} found no valid JSON at '${params.value}'`,
        );
      }
    },

    async yaml(params) {
      const { content, url } = await readGuarded(guard, params);
      emitRefresh(params, url);
      const where = `at '${params.value}'`;
      let documents: yaml.Document.Parsed[];
      try {
        documents = yaml
          .parseAllDocuments(content, { merge: false })
          .filter(d => d) as yaml.Document.Parsed[];
      } catch {
        throw new InputError(
          `Placeholder $${params.key} found no valid YAML ${where}`,
        );
      }
      if (documents.length !== 1) {
        throw new InputError(
          `Placeholder $${params.key} expected exactly one YAML document ${where}, found ${documents.length}`,
        );
      }
      const [error] = documents[0].errors;
      if (error) {
        const line = error.linePos?.[0]?.line;
        throw new InputError(
          `Placeholder $${params.key} found invalid YAML ${where}${
            line ? `, line ${line}` : ''
          }`,
        );
      }
      return documents[0].toJSON() as JsonValue;
    },
  };
}
