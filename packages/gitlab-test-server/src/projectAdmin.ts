import http from 'node:http';
import type { TestProject } from './GitlabTestServer';
import { readJson } from './mergeRequests';

/** A CI/CD variable of a project, as `POST /projects/:id/variables` stores it. */
export interface TestVariable {
  key: string;
  value: string;
  variableType: 'env_var' | 'file';
  protected: boolean;
  masked: boolean;
  raw: boolean;
  environmentScope: string;
  description: string | null;
}

/** What the project administration routes need of the server they are mounted on. */
export interface ProjectAdminHost {
  readonly projects: Map<number, TestProject>;
  /** Drops a deleted project's repository, so its path can be taken again. */
  removeRepository(pathWithNamespace: string): void;
}

type Json = (status: number, body: unknown) => void;

/** GitLab's rule for a variable key (`Ci::HasVariable`). */
const KEY = /^[a-zA-Z0-9_]{1,255}$/;

/**
 * A project's CI/CD variables and its deletion, answered as GitLab's REST v4 does:
 *
 * - `GET /projects/:id/variables` (one page, every variable);
 * - `POST /projects/:id/variables` (`key`, `value`, `variable_type`, `protected`, `masked`,
 *   `raw`, `environment_scope`, `description`): 201 with the variable; 400
 *   `{ message: { key: ['(KEY) has already been taken'] } }` for a key already set in the same
 *   environment scope, 400 `{ error: 'key is missing' }` and the like for a missing field;
 * - `DELETE /projects/:id`: 202 `{ message: '202 Accepted' }`; the project, its repository and
 *   its variables are gone (the instant deletion of a GitLab without delayed deletion).
 */
export class GitlabProjectAdmin {
  /** Variables by project id. */
  readonly variables = new Map<number, TestVariable[]>();
  /**
   * When set, `DELETE /projects/:id` answers 403, as GitLab does for a token whose user is not an
   * owner of the project.
   */
  refuseDeletes = false;

  constructor(private readonly host: ProjectAdminHost) {}

  /** The variables of a project, by key. */
  of(projectId: number): Record<string, string> {
    return Object.fromEntries(
      (this.variables.get(projectId) ?? []).map(v => [v.key, v.value]),
    );
  }

  /**
   * Answers the request when it is one of these routes (`true`), else leaves it to the server
   * (`false`). Called after the server checked the token.
   */
  handle(req: http.IncomingMessage, url: URL, json: Json): boolean {
    const parts = url.pathname.split('/').filter(Boolean);
    const rest = parts.slice(2).map(decodeURIComponent);
    if (parts[0] !== 'api' || parts[1] !== 'v4' || rest[0] !== 'projects') {
      return false;
    }
    const method = req.method ?? 'GET';
    const deleting = method === 'DELETE' && rest.length === 2;
    const variables =
      rest[2] === 'variables' &&
      rest.length === 3 &&
      ['GET', 'POST'].includes(method);
    if (!deleting && !variables) {
      return false;
    }
    const project = /^\d+$/.test(rest[1])
      ? this.host.projects.get(Number(rest[1]))
      : [...this.host.projects.values()].find(
          p => p.pathWithNamespace === rest[1],
        );
    if (!project) {
      json(404, { message: '404 Project Not Found' });
      return true;
    }
    if (deleting && this.refuseDeletes) {
      json(403, { message: '403 Forbidden' });
      return true;
    }
    if (deleting) {
      this.host.projects.delete(project.id);
      this.variables.delete(project.id);
      this.host.removeRepository(project.pathWithNamespace);
      json(202, { message: '202 Accepted' });
      return true;
    }
    if (method === 'GET') {
      json(200, (this.variables.get(project.id) ?? []).map(variableJson));
      return true;
    }
    readJson(req)
      .then(body => this.#create(project, body as Record<string, any>, json))
      .catch(() => json(400, { error: 'The request body is not JSON' }));
    return true;
  }

  #create(project: TestProject, body: Record<string, any>, json: Json) {
    for (const field of ['key', 'value']) {
      if (body[field] === undefined || body[field] === null) {
        json(400, { error: `${field} is missing` });
        return;
      }
    }
    const key = String(body.key);
    if (!KEY.test(key)) {
      json(400, {
        message: {
          key: [
            'is too long (maximum is 255 characters)',
            "can contain only letters, digits and '_'.",
          ].slice(key.length > 255 ? 0 : 1),
        },
      });
      return;
    }
    const variableType = body.variable_type ?? 'env_var';
    if (!['env_var', 'file'].includes(variableType)) {
      json(400, { error: 'variable_type does not have a valid value' });
      return;
    }
    const environmentScope = String(body.environment_scope ?? '*');
    const list = this.variables.get(project.id) ?? [];
    if (
      list.some(v => v.key === key && v.environmentScope === environmentScope)
    ) {
      json(400, { message: { key: [`(${key}) has already been taken`] } });
      return;
    }
    const variable: TestVariable = {
      key,
      value: String(body.value),
      variableType,
      protected: body.protected === true || body.protected === 'true',
      masked: body.masked === true || body.masked === 'true',
      raw: body.raw === true || body.raw === 'true',
      environmentScope,
      description: body.description ?? null,
    };
    list.push(variable);
    this.variables.set(project.id, list);
    json(201, variableJson(variable));
  }
}

/** A variable as GitLab's REST API describes it. */
function variableJson(v: TestVariable) {
  return {
    variable_type: v.variableType,
    key: v.key,
    value: v.value,
    hidden: false,
    protected: v.protected,
    masked: v.masked,
    raw: v.raw,
    environment_scope: v.environmentScope,
    description: v.description,
  };
}
