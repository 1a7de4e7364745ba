import { createHash } from 'node:crypto';
import { parseEntityRef } from '@backstage/catalog-model';
import { displayNameFromClaims, userEntityRefFromSubject } from './subject';

describe('userEntityRefFromSubject', () => {
  // Authentik's default subject mode: sha256 of the user id and install id, 64 hex characters.
  const authentikSub = createHash('sha256').update('42-install').digest('hex');

  it('derives a valid entity ref of at most 63 characters from a 64-hex Authentik subject', () => {
    const ref = userEntityRefFromSubject(authentikSub)!;
    expect(ref).toMatch(/^user:default\/u-[0-9a-f]{40}$/);
    const { kind, namespace, name } = parseEntityRef(ref);
    expect({ kind, namespace }).toEqual({ kind: 'user', namespace: 'default' });
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('is deterministic and differs for subjects that differ by case or punctuation', () => {
    expect(userEntityRefFromSubject('Jane.Doe')).toBe(
      userEntityRefFromSubject('Jane.Doe'),
    );
    const refs = [
      'Jane.Doe',
      'jane.doe',
      'jane-doe',
      'jane doe',
      'jane_doe',
    ].map(userEntityRefFromSubject);
    expect(new Set(refs).size).toBe(5);
  });

  it('cannot be steered to another subject’s ref by choosing a subject that looks like one', () => {
    const ref = userEntityRefFromSubject(authentikSub)!;
    const name = ref.split('/')[1];
    expect(userEntityRefFromSubject(name)).not.toBe(ref);
  });

  it.each([[undefined], [null], [42], [''], ['   '], ['x'.repeat(256)]])(
    'refuses %j',
    sub => {
      expect(userEntityRefFromSubject(sub)).toBeUndefined();
    },
  );
});

describe('displayNameFromClaims', () => {
  it('prefers the name, then the username, cleaned and bounded', () => {
    expect(
      displayNameFromClaims({ name: ' Jane Doe ', preferred_username: 'jd' }),
    ).toBe('Jane Doe');
    expect(displayNameFromClaims({ name: '', preferred_username: 'jd' })).toBe(
      'jd',
    );
    expect(displayNameFromClaims({ name: 'a\u0000b\nc' })).toBe('abc');
    expect(displayNameFromClaims({ name: 'x'.repeat(500) })).toHaveLength(200);
    expect(displayNameFromClaims({ name: 7 })).toBeUndefined();
  });
});
