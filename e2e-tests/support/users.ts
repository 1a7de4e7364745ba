/** The people of the end-to-end tests and the Authentik groups they are in. */
export const E2E_USERS: Record<string, { name: string; groups: string[] }> = {
  alice: { name: 'Alice Acme', groups: ['akili-acme-developer', 'staff'] },
  bob: { name: 'Bob Globex', groups: ['akili-globex-developer'] },
  cora: { name: 'Cora Consumer', groups: ['akili-acme-consumer'] },
  olga: { name: 'Olga Ops', groups: ['akili-acme-operator'] },
  root: { name: 'Root Admin', groups: ['akili-platform-admins'] },
  nobody: { name: 'No Tenant', groups: ['staff'] },
};

/** The password every e2e user logs in with. */
export const E2E_PASSWORD = 'akili-e2e';
