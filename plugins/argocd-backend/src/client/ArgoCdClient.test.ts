import { ConfigReader } from '@backstage/config';
import { readArgoCdClientConfig } from './ArgoCdClient';

describe('readArgoCdClientConfig', () => {
  const read = (argocd: object | undefined) =>
    readArgoCdClientConfig(new ConfigReader(argocd ? { argocd } : {}));

  it('is undefined without argocd.baseUrl, and reads the rest with defaults', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read({ token: 't' })).toBeUndefined();
    expect(
      read({ baseUrl: 'https://argocd.example.com/', token: 't' }),
    ).toEqual({
      baseUrl: 'https://argocd.example.com',
      token: 't',
      timeoutMs: 5000,
    });
  });

  it('names the key of a bad value', () => {
    expect(() => read({ baseUrl: 'nope', token: 't' })).toThrow(
      'argocd.baseUrl is not a URL: "nope"',
    );
    expect(() => read({ baseUrl: 'ftp://x', token: 't' })).toThrow(
      /argocd.baseUrl must be an http\(s\) URL/,
    );
    expect(() => read({ baseUrl: 'http://x' })).toThrow(
      /argocd.token is required/,
    );
    expect(() =>
      read({ baseUrl: 'http://x', token: 't', timeoutMs: 10 }),
    ).toThrow(/argocd.timeoutMs must be a whole number/);
  });
});
