import { gitlabPathSegments } from './GitlabTenancy';

/**
 * The GitLab project a web URL points into, as every GitLab reader reads it: the path segments
 * before GitLab's `/-/` separator (followed by `blob`, `tree` or `raw`), or the whole path. The
 * readers of `@backstage/backend-defaults` take a prefix of these segments as the project, so a
 * path that lies in a shared group is read from that group or a group above it, never from a
 * tenant. `undefined` for anything else: credentials, a query, encoded characters or `..` in the
 * project part, job artifacts.
 */
export function gitlabProjectPathOfUrl(
  url: URL,
  integrationBaseUrl: string,
  options: {
    /** Only URLs with GitLab's `/-/blob/` or `/-/tree/` (which every reader splits alike). */
    strict?: boolean;
  } = {},
): string | undefined {
  if (url.username || url.password || url.search || url.hash) {
    return undefined;
  }
  const base = new URL(integrationBaseUrl).pathname.replace(/\/+$/, '');
  if (base && !url.pathname.startsWith(`${base}/`)) {
    return undefined;
  }
  const segments = url.pathname.slice(base.length).split('/').slice(1);
  const separator = segments.indexOf('-');
  if (options.strict && separator < 0) {
    return undefined;
  }
  const kinds = options.strict ? ['blob', 'tree'] : ['blob', 'tree', 'raw'];
  if (separator >= 0 && !kinds.includes(segments[separator + 1] ?? '')) {
    return undefined;
  }
  const project = (separator >= 0 ? segments.slice(0, separator) : segments)
    .filter((s, i, all) => s !== '' || i !== all.length - 1) // a trailing slash
    .join('/');
  return gitlabPathSegments(project) ? project : undefined;
}
