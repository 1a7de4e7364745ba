import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configFile,
  normalizeUrl,
  readStoredLogin,
  removeStoredLogin,
  resolveLogin,
  writeStoredLogin,
} from './config';

describe('the stored login', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-config-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  it('is written readable by its owner only, whatever the umask', async () => {
    const env = { XDG_CONFIG_HOME: path.join(home, 'xdg') };
    const previous = process.umask(0);
    try {
      const file = await writeStoredLogin(env, {
        url: 'https://portal.example.com',
        token: 'akili_secret',
      });
      expect(file).toBe(path.join(home, 'xdg', 'akili', 'config.json'));
      expect(mode(file)).toBe(0o600);
      expect(mode(path.dirname(file))).toBe(0o700);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
        url: 'https://portal.example.com',
        token: 'akili_secret',
      });
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a directory that exists with looser modes, and replaces the file', async () => {
    const env = { HOME: home };
    const dir = path.join(home, '.config', 'akili');
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'config.json'), '{}', { mode: 0o644 });
    const file = await writeStoredLogin(env, { url: 'http://a', token: 't' });
    expect(file).toBe(path.join(dir, 'config.json'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it('lives in ~/.config/akili without XDG_CONFIG_HOME or with a relative one', () => {
    const expected = path.join(home, '.config', 'akili', 'config.json');
    expect(configFile({ HOME: home })).toBe(expected);
    expect(configFile({ HOME: home, XDG_CONFIG_HOME: 'relative' })).toBe(
      expected,
    );
  });

  it('is overridden by AKILI_URL and AKILI_TOKEN, each on its own', async () => {
    const env: Record<string, string | undefined> = {
      XDG_CONFIG_HOME: home,
    };
    await writeStoredLogin(env, {
      url: 'https://saved.example.com',
      token: 'saved-token',
    });
    expect(await resolveLogin(env)).toEqual({
      url: 'https://saved.example.com',
      token: 'saved-token',
      urlFrom: 'config',
      tokenFrom: 'config',
    });
    expect(
      await resolveLogin({ ...env, AKILI_TOKEN: 'ci-token' }),
    ).toMatchObject({
      url: 'https://saved.example.com',
      token: 'ci-token',
      tokenFrom: 'AKILI_TOKEN',
    });
    expect(
      await resolveLogin({
        ...env,
        AKILI_URL: 'http://ci.example.com:7007/',
        AKILI_TOKEN: 'ci-token',
      }),
    ).toEqual({
      url: 'http://ci.example.com:7007',
      token: 'ci-token',
      urlFrom: 'AKILI_URL',
      tokenFrom: 'AKILI_TOKEN',
    });
  });

  it('works from the environment alone, and says how to sign in without it', async () => {
    const env = { XDG_CONFIG_HOME: home };
    await expect(resolveLogin(env)).rejects.toThrow(
      'Not signed in: run "akili login --url <portal>" (browser) or "akili login --url <portal> --token <token>", or set AKILI_URL and AKILI_TOKEN',
    );
    await expect(
      resolveLogin({ ...env, AKILI_URL: 'http://x', AKILI_TOKEN: 't' }),
    ).resolves.toMatchObject({ url: 'http://x', token: 't' });
  });

  it('is removed by logout', async () => {
    const env = { XDG_CONFIG_HOME: home };
    await writeStoredLogin(env, { url: 'http://a', token: 't' });
    expect(await removeStoredLogin(env)).toBe(true);
    expect(await readStoredLogin(env)).toBeUndefined();
    expect(await removeStoredLogin(env)).toBe(false);
  });

  it('names a damaged file', async () => {
    const env = { XDG_CONFIG_HOME: home };
    fs.mkdirSync(path.join(home, 'akili'));
    fs.writeFileSync(path.join(home, 'akili', 'config.json'), '{ nope');
    await expect(resolveLogin(env)).rejects.toThrow(
      `${path.join(home, 'akili', 'config.json')} is not valid JSON`,
    );
  });

  it('accepts only http and https portal addresses', () => {
    expect(normalizeUrl('https://portal.example.com/')).toBe(
      'https://portal.example.com',
    );
    expect(normalizeUrl('http://localhost:7007')).toBe('http://localhost:7007');
    expect(() => normalizeUrl('portal.example.com')).toThrow(/is not a URL/);
    expect(() => normalizeUrl('ftp://portal')).toThrow(/http or https/);
    expect(() => normalizeUrl('https://u:p@portal')).toThrow(
      /without credentials/,
    );
  });
});
