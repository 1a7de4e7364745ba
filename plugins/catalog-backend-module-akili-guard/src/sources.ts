import { tenantOfGitlabPath } from '@akili/plugin-akili-common';
import { Config } from '@backstage/config';

/**
 * Where a file the catalog could read lives, as far as tenancy goes.
 *
 * - `tenant`: in a project of a tenant's GitLab group (`<rootGroup>/<tenant>/...`), or a product of
 *   the tenant's registry in the control plane (`<backend>/api/akili/v1/tenants/<tenant>/products/<name>`,
 *   where the registry provider's entities come from: the tenant of its registry row);
 * - `platform`: in a project of a configured GitLab host outside the root group;
 * - `local`: a file on the backend's disk (`file:` locations, set by configuration);
 * - `unknown`: anything else (another host, a URL whose project cannot be told, no root group
 *   configured): nothing may be read from there on an entity's behalf.
 *
 * @public
 */
export type SourceScope =
  | { kind: 'tenant'; host: string; tenant: string }
  | { kind: 'platform'; host: string }
  | { kind: 'local' }
  | { kind: 'unknown' };

/** A location as the catalog passes it around (`url:` or `file:` and its target). */
export type LocationTarget = { type: string; target: string };

type GitlabHost = { host: string; relativePath: string };

const UNKNOWN: SourceScope = { kind: 'unknown' };

/** A product of the control plane's registry, below the backend's base URL. */
const REGISTRY_PRODUCT_PATH =
  /^\/api\/akili\/v1\/tenants\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/products\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Tells which tenant a catalog location belongs to, by where it is (C4: the tenant of a GitLab
 * path is the first group below the root group), never by what the file says.
 *
 * @public
 */
export class SourceTenancy {
  private readonly rootGroup: string | undefined;
  private readonly hosts: GitlabHost[];
  private readonly backendBaseUrl: string | undefined;

  static fromConfig(config: Config): SourceTenancy {
    const hosts = (config.getOptionalConfigArray('integrations.gitlab') ?? [])
      .map(c => {
        const host = c.getString('host');
        const baseUrl = c.getOptionalString('baseUrl') ?? `https://${host}`;
        return { host, baseUrl };
      })
      .map(({ host, baseUrl }) => ({
        host: host.toLocaleLowerCase('en-US'),
        relativePath: new URL(baseUrl).pathname.replace(/\/+$/, ''),
      }));
    return new SourceTenancy({
      rootGroup: config.getOptionalString('akili.tenancy.gitlab.rootGroup'),
      gitlabHosts: hosts,
      backendBaseUrl: config.getOptionalString('backend.baseUrl'),
    });
  }

  constructor(options: {
    rootGroup?: string;
    gitlabHosts: GitlabHost[];
    /** The backend's own base URL, where the control plane's registry answers. */
    backendBaseUrl?: string;
  }) {
    const root = options.rootGroup?.replace(/^\/+|\/+$/g, '');
    this.rootGroup = root ? root : undefined;
    this.hosts = options.gitlabHosts;
    this.backendBaseUrl = options.backendBaseUrl?.replace(/\/+$/, '');
  }

  /** The scope of a location (`url:` targets by their GitLab project, `file:` as local). */
  scopeOf(location: LocationTarget): SourceScope {
    if (location.type === 'file') {
      return { kind: 'local' };
    }
    if (location.type !== 'url') {
      return UNKNOWN;
    }
    return this.scopeOfUrl(location.target);
  }

  /** The scope of an absolute URL. */
  scopeOfUrl(target: string): SourceScope {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return UNKNOWN;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return UNKNOWN;
    }
    if (url.username || url.password) {
      return UNKNOWN;
    }
    const host = url.host.toLocaleLowerCase('en-US');
    const registry = this.registryTenantOf(url);
    if (registry) {
      return { kind: 'tenant', host, tenant: registry };
    }
    const gitlab = this.hosts.find(h => h.host === host);
    if (!gitlab) {
      return UNKNOWN;
    }
    let path = url.pathname;
    if (gitlab.relativePath) {
      if (!path.startsWith(`${gitlab.relativePath}/`)) {
        return UNKNOWN;
      }
      path = path.slice(gitlab.relativePath.length);
    }
    const project = projectPathOf(path);
    if (!project || !this.rootGroup) {
      return UNKNOWN;
    }
    const root = this.rootGroup.toLocaleLowerCase('en-US');
    if (!project.toLocaleLowerCase('en-US').startsWith(`${root}/`)) {
      return { kind: 'platform', host };
    }
    const tenant = tenantOfGitlabPath(this.rootGroup, project);
    // A tenant's project lies in its group: at least `<root>/<tenant>/<project>`.
    const depth = project.split('/').length - root.split('/').length;
    if (!tenant || depth < 2) {
      return UNKNOWN;
    }
    return { kind: 'tenant', host, tenant };
  }

  /** The tenant of a product URL of the control plane's registry on this backend, if it is one. */
  private registryTenantOf(url: URL): string | undefined {
    if (!this.backendBaseUrl) {
      return undefined;
    }
    const base = new URL(this.backendBaseUrl);
    if (url.origin !== base.origin || url.search || url.hash) {
      return undefined;
    }
    const prefix = base.pathname.replace(/\/+$/, '');
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return undefined;
    }
    const match = REGISTRY_PRODUCT_PATH.exec(url.pathname.slice(prefix.length));
    return match?.[1];
  }
}

/**
 * The project path of a GitLab file or tree URL's path, split the way Backstage's GitLab reader
 * splits it (before `/-/` or a legacy `/blob/` or `/tree/`); `undefined` when there is none or
 * it is not a plain path (encoded characters, dot segments, empty segments).
 */
function projectPathOf(pathname: string): string | undefined {
  const [beforeDash] = pathname.split('/-/');
  const [project] = beforeDash.split(/\/(?:blob|tree|raw)\//);
  if (project === pathname) {
    return undefined; // not a file or tree URL
  }
  const trimmed = project.replace(/^\//, '');
  const segments = trimmed.split('/');
  if (
    segments[0].toLocaleLowerCase('en-US') === 'api' ||
    segments.some(s => s === '' || s === '.' || s === '..' || s.includes('%'))
  ) {
    return undefined;
  }
  return trimmed;
}

/** Whether two scopes are the same source: one tenant on one host, or one host's platform. */
export function isSameSource(a: SourceScope, b: SourceScope): boolean {
  if (a.kind === 'tenant' && b.kind === 'tenant') {
    return a.host === b.host && a.tenant === b.tenant;
  }
  if (a.kind === 'platform' && b.kind === 'platform') {
    return a.host === b.host;
  }
  return false;
}
