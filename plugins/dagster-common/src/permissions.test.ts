import {
  akiliTenantsGranting,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import {
  akiliRunsLaunchPermission,
  akiliRunsOperatePermission,
  akiliRunsReadPermission,
  akiliRunsTerminatePermission,
  dagsterPermissions,
} from './permissions';

describe('dagsterPermissions', () => {
  it('declares the runs permissions with the roles that grant them, for the role model', () => {
    expect(
      Object.fromEntries(dagsterPermissions.map(p => [p.name, p.grantedTo])),
    ).toEqual({
      'akili.runs.read': ['developer', 'operator'],
      'akili.runs.launch': ['developer', 'operator'],
      'akili.runs.terminate': ['operator'],
      'akili.runs.operate': ['operator'],
    });
    for (const permission of dagsterPermissions) {
      expect(permission.type).toBe('basic');
    }
    const access = parseAkiliAccess([
      'group:akili/acme.consumer',
      'group:akili/globex.developer',
      'group:akili/initech.operator',
    ]);
    expect(akiliTenantsGranting(access, akiliRunsReadPermission)).toEqual([
      'globex',
      'initech',
    ]);
    expect(akiliTenantsGranting(access, akiliRunsLaunchPermission)).toEqual([
      'globex',
      'initech',
    ]);
    for (const permission of [
      akiliRunsTerminatePermission,
      akiliRunsOperatePermission,
    ]) {
      expect(akiliTenantsGranting(access, permission)).toEqual(['initech']);
    }
  });
});
