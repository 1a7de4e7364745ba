import type { TestProject } from './GitlabTestServer';
import type { TestTokenAccess } from './gitHttp';

/** GitLab's rule for a project path (letters, digits, `_`, `-`, `.`; no leading or trailing special). */
const PROJECT_PATH = /^[a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/;

/**
 * `POST /projects` as GitLab answers it: `namespace_id` (a group's id or full path), `path`
 * and/or `name`, `default_branch`. 201 with the new (empty) project; 404 for a namespace the
 * server does not have or the token does not reach; 400 with GitLab's per-field messages for a
 * missing or invalid path and for a path already taken in the namespace.
 */
export function createProject(
  body: any,
  context: {
    groups: Map<string, { id: number; fullPath: string }>;
    projects: Map<number, TestProject>;
    access: TestTokenAccess;
  },
): { status: number; body: unknown; project?: TestProject } {
  const namespaceRef = body?.namespace_id ?? body?.namespaceId;
  const groups = [...context.groups.values()];
  const namespace =
    typeof namespaceRef === 'number' || /^\d+$/.test(String(namespaceRef))
      ? groups.find(g => g.id === Number(namespaceRef))
      : context.groups.get(String(namespaceRef ?? '').toLowerCase());
  const reaches = (fullPath: string) =>
    !context.access.groups ||
    context.access.groups.some(
      group =>
        fullPath.toLowerCase() === group.toLowerCase() ||
        fullPath.toLowerCase().startsWith(`${group.toLowerCase()}/`),
    );
  if (namespaceRef === undefined) {
    // GitLab puts the project in the token user's namespace; the test server has none.
    return { status: 400, body: { error: 'namespace_id is missing' } };
  }
  if (!namespace || !reaches(namespace.fullPath)) {
    return { status: 404, body: { message: '404 Namespace Not Found' } };
  }
  const projectPath: unknown = body?.path ?? body?.name;
  if (typeof projectPath !== 'string' || projectPath === '') {
    return {
      status: 400,
      body: {
        error:
          'name, path are missing, at least one parameter must be provided',
      },
    };
  }
  if (!PROJECT_PATH.test(projectPath)) {
    return {
      status: 400,
      body: {
        message: {
          path: [
            "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'",
          ],
        },
      },
    };
  }
  const pathWithNamespace = `${namespace.fullPath}/${projectPath}`;
  const taken = [...context.projects.values()].some(
    p => p.pathWithNamespace.toLowerCase() === pathWithNamespace.toLowerCase(),
  );
  if (taken) {
    return {
      status: 400,
      body: {
        message: {
          project_namespace: ['has already been taken'],
          name: ['has already been taken'],
          path: ['has already been taken'],
        },
      },
    };
  }
  const id = Math.max(5000, ...[...context.projects.keys()].map(k => k + 1));
  const project: TestProject = {
    id,
    pathWithNamespace,
    defaultBranch:
      typeof body?.default_branch === 'string' ? body.default_branch : 'main',
    files: {},
  };
  return { status: 201, body: undefined, project };
}
