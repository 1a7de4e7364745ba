import {
  mayRetryTask,
  maySeeTask,
  requireTaskTenant,
  scaffolderAccessOf,
} from './access';

const ann = scaffolderAccessOf('user:default/ann', [
  'user:default/ann',
  'group:akili/acme.developer',
  'group:akili/globex.consumer',
]);
const otto = scaffolderAccessOf('user:default/otto', [
  'group:akili/acme.operator',
]);
const carl = scaffolderAccessOf('user:default/carl', [
  'group:akili/acme.consumer',
]);
const root = scaffolderAccessOf('user:default/root', [
  'group:akili/platform-admin',
]);

describe('scaffolder access', () => {
  it('reads who runs templates where and who sees whose tasks', () => {
    expect([...ann.runnerTenants]).toEqual(['acme']);
    expect([...ann.operatedTenants]).toEqual([]);
    expect([...otto.runnerTenants]).toEqual(['acme']);
    expect([...otto.operatedTenants]).toEqual(['acme']);
    expect([...carl.runnerTenants]).toEqual([]);
  });

  it('takes the task tenant only from a tenant the user develops or operates', () => {
    expect(requireTaskTenant(ann, { tenant: 'acme' })).toBe('acme');
    expect(() => requireTaskTenant(ann, { tenant: 'globex' })).toThrow(
      "not in 'globex'",
    );
    expect(() => requireTaskTenant(carl, { tenant: 'acme' })).toThrow(
      "not in 'acme'",
    );
    expect(() => requireTaskTenant(ann, {})).toThrow(
      "the parameter 'tenant' must name a tenant",
    );
    expect(() => requireTaskTenant(ann, undefined)).toThrow(
      "the parameter 'tenant'",
    );
    for (const tenant of ['ACME', 'acme/../globex', ['acme'], 7, 'default']) {
      expect(() => requireTaskTenant(root, { tenant })).toThrow();
    }
    // A template of a tenant's namespace runs in that tenant only.
    expect(requireTaskTenant(ann, {}, 'acme')).toBe('acme');
    expect(requireTaskTenant(ann, { tenant: 'acme' }, 'acme')).toBe('acme');
    expect(() => requireTaskTenant(root, { tenant: 'globex' }, 'acme')).toThrow(
      "A template of tenant 'acme' runs only in tenant 'acme'",
    );
    expect(() => requireTaskTenant(carl, {}, 'acme')).toThrow("not in 'acme'");
    expect(() => requireTaskTenant(ann, {}, 'default')).toThrow(
      "the parameter 'tenant'",
    );
    expect(requireTaskTenant(root, {})).toBeUndefined();
    expect(requireTaskTenant(root, { tenant: 'globex' })).toBe('globex');
  });

  it('shows a task to its creator, its tenant’s operators and admins', () => {
    const task = { createdBy: 'user:default/ann', tenant: 'acme' };
    expect(maySeeTask(ann, task)).toBe(true);
    expect(maySeeTask(otto, task)).toBe(true);
    expect(maySeeTask(root, task)).toBe(true);
    expect(maySeeTask(carl, task)).toBe(false);
    expect(maySeeTask(otto, { ...task, tenant: 'globex' })).toBe(false);
    expect(maySeeTask(otto, { createdBy: 'user:default/ann' })).toBe(false);
    expect(maySeeTask(otto, {})).toBe(false);
  });

  it('lets those who see a task retry it when they may run in its tenant', () => {
    const task = { createdBy: 'user:default/ann', tenant: 'acme' };
    expect(mayRetryTask(otto, task)).toBe(true);
    expect(mayRetryTask(ann, task)).toBe(true);
    const formerDeveloper = scaffolderAccessOf('user:default/ann', [
      'group:akili/acme.consumer',
    ]);
    expect(maySeeTask(formerDeveloper, task)).toBe(true);
    expect(mayRetryTask(formerDeveloper, task)).toBe(false);
    expect(mayRetryTask(ann, { createdBy: 'user:default/ann' })).toBe(true);
    expect(mayRetryTask(otto, { createdBy: 'user:default/ann' })).toBe(false);
  });
});
