import { akiliRolesGrant } from '@akili/plugin-akili-common';
import {
  akiliPlatformHealthReadPermission,
  akiliPlatformHealthStatusReadPermission,
  platformHealthPermissions,
} from './permissions';
import { isPlatformDependencyId, PLATFORM_DEPENDENCY_IDS } from './api';

describe('platform health permissions', () => {
  it('grants akili.platform.health.read to operators only (platform admins hold every Akili permission)', () => {
    expect(akiliPlatformHealthReadPermission).toMatchObject({
      type: 'basic',
      name: 'akili.platform.health.read',
      attributes: { action: 'read' },
    });
    expect(
      akiliRolesGrant(['operator'], akiliPlatformHealthReadPermission),
    ).toBe(true);
    expect(
      akiliRolesGrant(
        ['consumer', 'developer'],
        akiliPlatformHealthReadPermission,
      ),
    ).toBe(false);
    expect(platformHealthPermissions).toEqual([
      akiliPlatformHealthReadPermission,
      akiliPlatformHealthStatusReadPermission,
    ]);
  });

  it('grants akili.platform.health.status.read to every tenant role', () => {
    expect(akiliPlatformHealthStatusReadPermission).toMatchObject({
      type: 'basic',
      name: 'akili.platform.health.status.read',
      attributes: { action: 'read' },
    });
    for (const role of ['consumer', 'developer', 'operator'] as const) {
      expect(
        akiliRolesGrant([role], akiliPlatformHealthStatusReadPermission),
      ).toBe(true);
    }
    expect(akiliRolesGrant([], akiliPlatformHealthStatusReadPermission)).toBe(
      false,
    );
  });

  it('knows the nine dependencies by id', () => {
    expect(PLATFORM_DEPENDENCY_IDS).toHaveLength(9);
    expect(isPlatformDependencyId('ceph-s3')).toBe(true);
    expect(isPlatformDependencyId('toString')).toBe(false);
    expect(isPlatformDependencyId('oracle')).toBe(false);
  });
});
