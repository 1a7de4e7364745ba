import { displayUrl, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('removes userinfo from URLs', () => {
    expect(
      redactSecrets(
        'connect ECONNREFUSED for postgres://akili:s3cr%40t@db.internal:5432/backstage',
      ),
    ).toBe(
      'connect ECONNREFUSED for postgres://***@db.internal:5432/backstage',
    );
    expect(redactSecrets('GET https://glpat-abc@gitlab.example/api')).toBe(
      'GET https://***@gitlab.example/api',
    );
  });

  it('removes secret query parameters and keeps the others', () => {
    expect(
      redactSecrets(
        'fetch https://gitlab.example/api/v4/version?private_token=glpat-XYZ&per_page=1 failed',
      ),
    ).toBe(
      'fetch https://gitlab.example/api/v4/version?private_token=***&per_page=1 failed',
    );
    expect(
      redactSecrets(
        'https://rgw/b/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef',
      ),
    ).toBe('https://rgw/b/k?X-Amz-Credential=***&X-Amz-Signature=***');
  });

  it('removes authorization header values', () => {
    expect(redactSecrets('sent Authorization: Bearer eyJhbGciOi.x.y')).toBe(
      'sent Authorization: Bearer ***',
    );
    expect(redactSecrets('header PRIVATE-TOKEN: glpat-123 refused')).toBe(
      'header PRIVATE-TOKEN: *** refused',
    );
  });

  it('removes configured secrets wherever they appear, also URL-encoded', () => {
    const message =
      "Access denied for user 'akili_ro'@'10.0.0.1' (using password: YES) pw=p@ss/w0rd enc=p%40ss%2Fw0rd";
    expect(redactSecrets(message, ['p@ss/w0rd', undefined])).toBe(
      "Access denied for user 'akili_ro'@'10.0.0.1' (using password: YES) pw=*** enc=***",
    );
  });

  it('ignores secrets too short to redact meaningfully', () => {
    expect(redactSecrets('a b c', ['a', ''])).toBe('a b c');
  });
});

describe('displayUrl', () => {
  it('keeps scheme, host and path only', () => {
    expect(displayUrl('https://u:p@argocd.example:8443/api?token=x#y')).toBe(
      'https://argocd.example:8443/api',
    );
  });
});
