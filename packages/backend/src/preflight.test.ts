import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  assertConfigEnvironment,
  configFilesFromArgv,
  findMissingEnvironment,
} from './preflight';

const repoRoot = path.resolve(__dirname, '../../..');
const productionConfig = path.join(repoRoot, 'app-config.production.yaml');

describe('preflight', () => {
  it('reads --config arguments in both forms', () => {
    expect(
      configFilesFromArgv(
        ['node', 'backend', '--config', 'a.yaml', '--config=b.yaml'],
        '/srv',
      ),
    ).toEqual(['/srv/a.yaml', '/srv/b.yaml']);
  });

  it('names every unset variable of the production config with its key', () => {
    const missing = findMissingEnvironment([productionConfig], {
      POSTGRES_HOST: 'db',
    });
    const byVariable = new Map(missing.map(m => [m.variable, m.key]));
    expect(byVariable.get('POSTGRES_PASSWORD')).toBe(
      'backend.database.connection.password',
    );
    expect(byVariable.get('AUTHENTIK_CLIENT_SECRET')).toBe(
      'auth.providers.oidc.production.clientSecret',
    );
    expect(byVariable.get('AKILI_API_TOKEN_SECRET')).toBe(
      'akili.apiTokens.secret',
    );
    expect(byVariable.has('AKILI_API_TOKEN')).toBe(false);
    expect(byVariable.has('POSTGRES_HOST')).toBe(false);
  });

  it('has no static token in production, and API tokens only for the Akili plugins', () => {
    const { backend } = parseYaml(fs.readFileSync(productionConfig, 'utf8'));
    // A static token would act in every tenant; a handler without restrictions would let the
    // catalog and other stock plugins take an API token as a service principal.
    expect(backend.auth.externalAccess).toEqual([
      {
        type: 'akili',
        options: {},
        accessRestrictions: [
          { plugin: 'akili' },
          { plugin: 'dagster' },
          { plugin: 'starrocks' },
          { plugin: 'quality' },
        ],
      },
    ]);
  });

  it('ignores escaped $${...} literals and treats empty values as missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-preflight-'));
    const file = path.join(dir, 'c.yaml');
    fs.writeFileSync(file, 'a:\n  b: $${LITERAL}\n  c: x-${EMPTY}-y\n');
    expect(findMissingEnvironment([file], { EMPTY: '' })).toEqual([
      { file, key: 'a.c', variable: 'EMPTY' },
    ]);
  });

  it('exits with a message naming the variable and the key', () => {
    const stderr = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation(() => true);
    const exit = jest.fn(() => {
      throw new Error('exited');
    }) as unknown as (code: number) => never;
    expect(() =>
      assertConfigEnvironment(
        ['node', 'backend', '--config', productionConfig],
        {},
        exit,
      ),
    ).toThrow('exited');
    expect(exit).toHaveBeenCalledWith(1);
    const message = stderr.mock.calls.map(c => String(c[0])).join('');
    expect(message).toContain(
      'POSTGRES_PASSWORD (needed by backend.database.connection.password',
    );
    stderr.mockRestore();
  });

  it('passes when every variable is set', () => {
    const exit = jest.fn() as unknown as (code: number) => never;
    const env = Object.fromEntries(
      findMissingEnvironment([productionConfig], {}).map(m => [
        m.variable,
        'set',
      ]),
    );
    assertConfigEnvironment(['--config', productionConfig], env, exit);
    expect(exit).not.toHaveBeenCalled();
  });
});
