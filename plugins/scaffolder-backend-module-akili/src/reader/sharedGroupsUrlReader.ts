import {
  coreServices,
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceSearchOptions,
} from '@backstage/backend-plugin-api';
import {
  GitlabUrlReader,
  ReaderFactory,
  UrlReaderPredicateTuple,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { GitlabTenancy } from '../gitlab/GitlabTenancy';
import { gitlabProjectPathOfUrl } from '../gitlab/urls';

/**
 * The URL reader of the scaffolder: its `fetch:plain`, `fetch:template` and `fetch:*:file`
 * actions read with the portal's GitLab token, and cannot tell which tenant a task acts in, so
 * they may read only the GitLab groups shared by every tenant (`akili.tenancy.gitlab.sharedGroups`,
 * where templates live). Every other URL is refused before any request: a tenant's group,
 * other GitLab groups, other hosts. Relative URLs of templates registered from files (and of
 * dry runs) are copied from disk by the actions and never reach a reader.
 */
export class SharedGroupsUrlReader implements UrlReaderService {
  readonly #tenancy: GitlabTenancy;
  readonly #integrations: ScmIntegrations;
  readonly #gitlab: UrlReaderPredicateTuple[];

  constructor(options: {
    tenancy: GitlabTenancy;
    integrations: ScmIntegrations;
    gitlabReaders: UrlReaderPredicateTuple[];
  }) {
    this.#tenancy = options.tenancy;
    this.#integrations = options.integrations;
    this.#gitlab = options.gitlabReaders;
  }

  /** The GitLab reader for a URL inside a shared group; throws `NotAllowedError` otherwise. */
  #readerFor(url: string): UrlReaderService {
    const refuse = () =>
      new NotAllowedError(
        `The scaffolder reads only from GitLab groups shared by all tenants (akili.tenancy.gitlab.sharedGroups), not '${url}'`,
      );
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refuse();
    }
    const integration = this.#integrations.gitlab.byHost(parsed.host)?.config;
    const project =
      integration && gitlabProjectPathOfUrl(parsed, integration.baseUrl);
    if (!project || !this.#tenancy.isShared(project)) {
      throw refuse();
    }
    const tuple = this.#gitlab.find(t => t.predicate(parsed));
    if (!tuple) {
      throw refuse();
    }
    return tuple.reader;
  }

  async readUrl(url: string, options?: UrlReaderServiceReadUrlOptions) {
    return this.#readerFor(url).readUrl(url, options);
  }

  async readTree(url: string, options?: UrlReaderServiceReadTreeOptions) {
    return this.#readerFor(url).readTree(url, options);
  }

  async search(url: string, options?: UrlReaderServiceSearchOptions) {
    return this.#readerFor(url).search(url, options);
  }

  toString() {
    return `akili-shared-groups{${this.#tenancy.sharedGroups.join(',')}}`;
  }
}

/** The reader factory of the scaffolder: one reader that takes every URL and decides. */
const scaffolderReaderFactory: ReaderFactory = ({
  config,
  logger,
  treeResponseFactory,
}) => [
  {
    predicate: () => true,
    reader: new SharedGroupsUrlReader({
      tenancy: GitlabTenancy.fromConfig(config),
      integrations: ScmIntegrations.fromConfig(config),
      gitlabReaders: GitlabUrlReader.factory({
        config,
        logger,
        treeResponseFactory,
      }),
    }),
  },
];

/**
 * Contributes {@link SharedGroupsUrlReader} to the URL reader of plugin `scaffolder` only (it is
 * registered before the default readers, and takes every URL); other plugins' readers are not
 * changed.
 *
 * @public
 */
export const scaffolderUrlReaderFactories = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): ReaderFactory {
    return plugin.getId() === 'scaffolder' ? scaffolderReaderFactory : () => [];
  },
});
