import {
  hashAkiliApiToken,
  newAkiliApiTokenId,
  signAkiliApiToken,
  tenantOfAkiliApiTokenId,
  verifyAkiliApiToken,
} from './tokenFormat';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const OTHER = 'another-secret-of-at-least-thirty-two-chars';
const now = new Date('2030-01-01T00:00:00Z');
const inADay = new Date('2030-01-02T00:00:00Z');

describe('Akili API token format', () => {
  const id = newAkiliApiTokenId('acme');
  const token = signAkiliApiToken(SECRET, { id, expiresAt: inADay });

  it('verifies a token it signed: id, tenant and expiry', () => {
    expect(id).toMatch(/^acme\.[0-9a-f-]{36}$/);
    expect(token.startsWith('akili_')).toBe(true);
    expect(verifyAkiliApiToken([SECRET], token, now)).toEqual({
      id,
      tenant: 'acme',
      expiresAt: inADay,
    });
    // Two tokens of one id differ (random nonce), so their hashes do too.
    const again = signAkiliApiToken(SECRET, { id, expiresAt: inADay });
    expect(again).not.toBe(token);
    expect(hashAkiliApiToken(again)).not.toBe(hashAkiliApiToken(token));
    expect(hashAkiliApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a forged or altered token', () => {
    expect(verifyAkiliApiToken([OTHER], token, now)).toBeUndefined();
    const [payload, mac] = token.slice('akili_'.length).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    // Another tenant's id with the original MAC.
    const altered = Buffer.from(
      JSON.stringify({ ...claims, id: id.replace('acme.', 'globex.') }),
    ).toString('base64url');
    expect(
      verifyAkiliApiToken([SECRET], `akili_${altered}.${mac}`, now),
    ).toBeUndefined();
    // A later expiry with the original MAC.
    const longer = Buffer.from(
      JSON.stringify({ ...claims, exp: claims.exp + 86400 }),
    ).toString('base64url');
    expect(
      verifyAkiliApiToken([SECRET], `akili_${longer}.${mac}`, now),
    ).toBeUndefined();
    for (const garbage of [
      '',
      'akili_',
      'akili_.',
      `akili_${payload}`,
      `akili_${payload}.${mac}.x`,
      `${token}x`,
      token.replace('akili_', 'akilx_'),
      `akili_${'a'.repeat(2000)}.${mac}`,
    ]) {
      expect(verifyAkiliApiToken([SECRET], garbage, now)).toBeUndefined();
    }
  });

  it('refuses an expired token', () => {
    expect(verifyAkiliApiToken([SECRET], token, inADay)).toBeUndefined();
  });

  it('accepts tokens of a previous secret (rotation)', () => {
    expect(verifyAkiliApiToken([OTHER, SECRET], token, now)?.id).toBe(id);
  });

  it('signs only ids of the form <tenant>.<uuid>', () => {
    expect(() =>
      signAkiliApiToken(SECRET, { id: 'acme', expiresAt: inADay }),
    ).toThrow('Not an API token id');
    expect(() => newAkiliApiTokenId('ACME')).toThrow('Not a tenant name');
  });
});

describe('tenantOfAkiliApiTokenId', () => {
  it.each([
    ['acme.0b6c2d1e-1234-4abc-8def-0123456789ab', 'acme'],
    ['acme-corp.0b6c2d1e-1234-4abc-8def-0123456789ab', 'acme-corp'],
    ['acme.nope', undefined],
    ['.0b6c2d1e-1234-4abc-8def-0123456789ab', undefined],
    ['ACME.0b6c2d1e-1234-4abc-8def-0123456789ab', undefined],
    ['a.b.0b6c2d1e-1234-4abc-8def-0123456789ab', undefined],
    [42, undefined],
  ])('%j is of tenant %j', (id, tenant) => {
    expect(tenantOfAkiliApiTokenId(id)).toBe(tenant);
  });
});
