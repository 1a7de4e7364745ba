import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitlabTenancy } from '../gitlab/GitlabTenancy';
import { gitlabProjectPathOfUrl } from '../gitlab/urls';
import { SharedGroupsUrlReader } from './sharedGroupsUrlReader';

const BASE = 'https://gitlab.test';

describe('gitlabProjectPathOfUrl', () => {
  const project = (url: string, base = BASE) =>
    gitlabProjectPathOfUrl(new URL(url), base);

  it('reads the project of GitLab web URLs', () => {
    expect(project(`${BASE}/platform/templates/-/tree/main/sql/skeleton`)).toBe(
      'platform/templates',
    );
    expect(project(`${BASE}/platform/templates/-/blob/main/t.yaml`)).toBe(
      'platform/templates',
    );
    expect(project(`${BASE}/platform/templates/-/raw/main/a.txt`)).toBe(
      'platform/templates',
    );
    expect(project(`${BASE}/platform/templates`)).toBe('platform/templates');
    expect(project(`${BASE}/platform/templates/`)).toBe('platform/templates');
    expect(
      project(
        'https://gitlab.test/gitlab/platform/t/-/tree/main',
        `${BASE}/gitlab`,
      ),
    ).toBe('platform/t');
  });

  it('normalizes dot segments the way every reader will see them', () => {
    // The URL parser resolves `..` (also encoded) before anyone reads the path.
    expect(
      project(
        `${BASE}/platform/templates/-/tree/main/../../../../data-products/globex/x`,
      ),
    ).toBe('platform/data-products/globex/x');
    expect(project(`${BASE}/platform/%2e%2e/data-products/globex/x`)).toBe(
      'data-products/globex/x',
    );
  });

  it('gives nothing for URLs it cannot attribute to one project', () => {
    for (const url of [
      `${BASE}/platform%2Ftemplates/-/tree/main`,
      `${BASE}/platform/templates/-/jobs/artifacts/main/raw/a?job=x`,
      `${BASE}/platform/templates/-/tree/main?ref=x`,
      `${BASE}/platform/templates/-/tree/main#x`,
      'https://user:pass@gitlab.test/platform/templates/-/tree/main',
      `${BASE}/api/v4/projects/2/repository/files/a/raw`.replace(
        '/api',
        '/%61pi',
      ),
      `${BASE}//platform/templates/-/tree/main`,
      `${BASE}/`,
      'https://gitlab.test/other/platform/t/-/tree/main',
    ]) {
      expect(
        project(url, url.includes('/other/') ? `${BASE}/gitlab` : BASE),
      ).toBe(undefined);
    }
  });
});

describe('SharedGroupsUrlReader', () => {
  const delegate = {
    readUrl: jest.fn(async () => 'read' as any),
    readTree: jest.fn(async () => 'tree' as any),
    search: jest.fn(async () => 'search' as any),
  } as unknown as UrlReaderService;
  const reader = new SharedGroupsUrlReader({
    tenancy: new GitlabTenancy({
      rootGroup: 'data-products',
      sharedGroups: ['platform/templates'],
    }),
    integrations: ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          gitlab: [
            {
              host: 'gitlab.test',
              apiBaseUrl: 'https://gitlab.test/api/v4',
              token: 't',
            },
          ],
        },
      }),
    ),
    gitlabReaders: [
      { predicate: url => url.host === 'gitlab.test', reader: delegate },
    ],
  });

  it('reads inside shared groups through the GitLab reader', async () => {
    await expect(
      reader.readTree(`${BASE}/platform/templates/-/tree/main/sql`),
    ).resolves.toBe('tree');
    await expect(
      reader.readUrl(`${BASE}/platform/templates/-/blob/main/a.txt`),
    ).resolves.toBe('read');
    await expect(
      reader.search(`${BASE}/platform/templates/-/blob/main/*.yaml`),
    ).resolves.toBe('search');
  });

  it('refuses tenants, other groups and other hosts before any read', async () => {
    jest.clearAllMocks();
    for (const url of [
      `${BASE}/data-products/globex/fleet/-/tree/main`,
      `${BASE}/data-products/acme/orders/-/blob/main/README.md`,
      `${BASE}/platform/templates/-/tree/main/../../../../data-products/globex/fleet`,
      `${BASE}/platform/secrets/-/tree/main`,
      `${BASE}/api/v4/projects/2/repository/archive`,
      'https://elsewhere.test/platform/templates/-/tree/main',
      'http://169.254.169.254/latest/meta-data',
      'not a url',
    ]) {
      await expect(reader.readTree(url)).rejects.toThrow(
        'reads only from GitLab groups shared by all tenants',
      );
      await expect(reader.readUrl(url)).rejects.toThrow(
        'shared by all tenants',
      );
      await expect(reader.search(url)).rejects.toThrow('shared by all tenants');
    }
    expect(delegate.readTree).not.toHaveBeenCalled();
    expect(delegate.readUrl).not.toHaveBeenCalled();
    expect(delegate.search).not.toHaveBeenCalled();
  });
});
