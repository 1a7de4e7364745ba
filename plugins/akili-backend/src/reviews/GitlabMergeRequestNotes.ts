import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import {
  GitlabDeployConfig,
  gitlabJson,
  gitlabMessage,
  GitlabRefusedError,
  gitlabRequest,
} from '../deployments/GitlabPipelines';

/** A note as GitLab's REST API describes it (the fields read here). */
export interface GitlabNote {
  id: number;
  body: string;
  author?: { id: number };
  system?: boolean;
}

/** Pages of notes read at most, newest first: the review's own note is near the top. */
const MAX_NOTE_PAGES = 10;

/**
 * The GitLab REST v4 calls of a merge-request review, with the platform's token: a project, a
 * file at a ref, the token's user, and the notes of a merge request (list, create, update).
 * Refusals are {@link GitlabRefusedError}, a GitLab down or slow `GitlabUnavailableError`.
 */
export class GitlabMergeRequestNotes {
  #user?: Promise<{ id: number }>;

  constructor(readonly config: GitlabDeployConfig) {}

  #json<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    project: string,
    body?: unknown,
  ): Promise<{ value: T; headers: Headers }> {
    return gitlabJson<T>(
      this.config,
      { method, path, project, body },
      `check that the portal's GitLab token may read project ${project} and comment on its merge requests (Reporter role, api scope)`,
    );
  }

  /** `GET /projects/:id`: where the project lives. */
  async project(
    projectId: number,
  ): Promise<{ id: number; path_with_namespace: string }> {
    return (
      await this.#json<any>('GET', `/projects/${projectId}`, String(projectId))
    ).value;
  }

  /**
   * `GET /projects/:id/repository/files/:path/raw?ref=`: the file's text at `ref`, or
   * `undefined` when it does not exist there.
   */
  async file(
    projectId: number,
    path: string,
    ref: string,
  ): Promise<string | undefined> {
    const url = `/projects/${projectId}/repository/files/${encodeURIComponent(
      path,
    )}/raw?ref=${encodeURIComponent(ref)}`;
    const response = await gitlabRequest(this.config, {
      method: 'GET',
      path: url,
      project: String(projectId),
      // One byte over the manifest limit is enough for the parser to refuse it by its size.
      maxBytes: MAX_MANIFEST_BYTES + 1,
    });
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw new GitlabRefusedError(
        `GitLab refused GET ${url} with ${response.status} (${gitlabMessage(
          response.text,
        )})`,
        response.status,
      );
    }
    return response.text;
  }

  /** `GET /user`: the token's user, who writes the review's notes (read once). */
  currentUser(): Promise<{ id: number }> {
    this.#user ??= this.#json<{ id: number }>('GET', '/user', '-')
      .then(r => r.value)
      .catch(error => {
        this.#user = undefined;
        throw error;
      });
    return this.#user;
  }

  /** `GET /projects/:id/merge_requests/:iid/notes`, newest first, up to a few pages. */
  async notes(projectId: number, iid: number): Promise<GitlabNote[]> {
    const all: GitlabNote[] = [];
    for (let page = 1; page <= MAX_NOTE_PAGES; page++) {
      const { value, headers } = await this.#json<GitlabNote[]>(
        'GET',
        `/projects/${projectId}/merge_requests/${iid}/notes?sort=desc&order_by=created_at&per_page=100&page=${page}`,
        String(projectId),
      );
      all.push(...value);
      if (!headers.get('x-next-page')) {
        break;
      }
    }
    return all;
  }

  /** `POST /projects/:id/merge_requests/:iid/notes`. */
  async createNote(
    projectId: number,
    iid: number,
    body: string,
  ): Promise<GitlabNote> {
    return (
      await this.#json<GitlabNote>(
        'POST',
        `/projects/${projectId}/merge_requests/${iid}/notes`,
        String(projectId),
        { body },
      )
    ).value;
  }

  /** `PUT /projects/:id/merge_requests/:iid/notes/:note_id`. */
  async updateNote(
    projectId: number,
    iid: number,
    noteId: number,
    body: string,
  ): Promise<GitlabNote> {
    return (
      await this.#json<GitlabNote>(
        'PUT',
        `/projects/${projectId}/merge_requests/${iid}/notes/${noteId}`,
        String(projectId),
        { body },
      )
    ).value;
  }
}
