import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductManifest,
  diffManifests,
  tenantOfGitlabPath,
} from '@akili/plugin-akili-common';
import { ManifestParserService } from '@akili/plugin-akili-node';
import { findConsumers } from '../products/impact';
import { ProductStore } from '../products/ProductStore';
import { GitlabMergeRequestNotes } from './GitlabMergeRequestNotes';
import {
  IMPACT_NOTE_MARKER,
  renderImpactNote,
  ReviewContext,
  ReviewFinding,
} from './impactNote';

/** The fields of a GitLab "Merge Request Hook" a review reads. */
export interface MergeRequestEvent {
  projectId: number;
  iid: number;
  action: string;
  state: string;
  sourceBranch: string;
  targetBranch: string;
  sourceProjectId: number;
  lastCommit?: string;
}

/** What a review did, for logs and tests. */
export type ReviewOutcome =
  | { result: 'created' | 'updated'; noteId: number; entityRef: string }
  | { result: 'ignored'; reason: string };

/** Merge-request actions that change what would be merged. */
const REVIEWED_ACTIONS = ['open', 'reopen', 'update'];

/**
 * Reviews a merge request of a product's GitLab project: reads the manifest at the source
 * branch with the platform's token, diffs it against the registry's current revision
 * (`diffManifests`, `findConsumers`: the registry's own code) and posts the consumer impact as
 * one note, which later pushes update.
 *
 * @remarks
 *
 * The product is where the project lives: `<rootGroup>/<tenant>/<name>` as GitLab answers for
 * the project's id (never the payload's or the manifest's claims), and the tenant must exist.
 * Anything else is ignored. Downstream products are those of the same tenant only: the note is
 * written with the platform's credentials into the tenant's project, so it names nothing of
 * another tenant. Reviews of one merge request run one at a time, so two quick pushes cannot
 * post two notes.
 */
export class MergeRequestReviewer {
  readonly #gitlab: GitlabMergeRequestNotes;
  readonly #tenantNames: () => Promise<string[]>;
  readonly #products: ProductStore;
  readonly #parser: ManifestParserService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #manifestPath: string;
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(options: {
    gitlab: GitlabMergeRequestNotes;
    tenantNames: () => Promise<string[]>;
    products: ProductStore;
    parser: ManifestParserService;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    manifestPath: string;
  }) {
    this.#gitlab = options.gitlab;
    this.#tenantNames = options.tenantNames;
    this.#products = options.products;
    this.#parser = options.parser;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#manifestPath = options.manifestPath;
  }

  /** Reviews the merge request after any review of it still running. */
  review(event: MergeRequestEvent): Promise<ReviewOutcome> {
    const key = `${event.projectId}!${event.iid}`;
    const previous = this.#running.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => this.#review(event));
    this.#running.set(key, next);
    next
      .catch(() => undefined)
      .finally(() => {
        if (this.#running.get(key) === next) {
          this.#running.delete(key);
        }
      });
    return next;
  }

  async #review(event: MergeRequestEvent): Promise<ReviewOutcome> {
    const { projectId, iid } = event;
    if (!REVIEWED_ACTIONS.includes(event.action) || event.state !== 'opened') {
      return { result: 'ignored', reason: `action ${event.action}` };
    }
    if (event.sourceProjectId !== projectId) {
      return { result: 'ignored', reason: 'a merge request from a fork' };
    }
    const project = await this.#gitlab.project(projectId);
    const path = project.path_with_namespace;
    const rootGroup = this.#gitlab.config.rootGroup;
    const tenant = tenantOfGitlabPath(rootGroup, path);
    const segments = path.split('/');
    const name = segments[segments.length - 1].toLocaleLowerCase('en-US');
    // Only `<root>/<tenant>/<name>`: the layout the templates and deployments use.
    if (
      tenant === undefined ||
      path.toLocaleLowerCase('en-US') !==
        `${rootGroup}/${tenant}/${name}`.toLocaleLowerCase('en-US')
    ) {
      return {
        result: 'ignored',
        reason: `project ${path} is not a product project (${rootGroup}/<tenant>/<name>)`,
      };
    }
    if (!(await this.#tenantNames()).includes(tenant)) {
      return { result: 'ignored', reason: `no tenant '${tenant}'` };
    }
    const entityRef = `dataproduct:${tenant}/${name}`;

    const [source, target] = await Promise.all([
      this.#gitlab.file(projectId, this.#manifestPath, event.sourceBranch),
      this.#gitlab.file(projectId, this.#manifestPath, event.targetBranch),
    ]);
    const context: ReviewContext = {
      entityRef,
      sourceBranch: event.sourceBranch,
      commit: event.lastCommit,
      manifestPath: this.#manifestPath,
      warnings: [],
    };
    const existing = await this.#existingNote(projectId, iid);

    let finding: ReviewFinding;
    if (source === target) {
      if (existing === undefined) {
        return {
          result: 'ignored',
          reason:
            source === undefined
              ? `no ${this.#manifestPath} in the project`
              : `the merge request does not change ${this.#manifestPath}`,
        };
      }
      finding = { kind: 'unchanged' };
    } else if (source === undefined) {
      finding = { kind: 'removed' };
    } else {
      finding = await this.#diff(tenant, name, source, context);
    }

    const body = renderImpactNote(context, finding);
    const note =
      existing === undefined
        ? await this.#gitlab.createNote(projectId, iid, body)
        : await this.#gitlab.updateNote(projectId, iid, existing, body);
    this.#logger.info('Merge request reviewed', {
      project: path,
      mergeRequest: iid,
      product: entityRef,
      finding: finding.kind,
      note: note.id,
      updated: existing !== undefined,
    });
    return {
      result: existing === undefined ? 'created' : 'updated',
      noteId: note.id,
      entityRef,
    };
  }

  /** The review's own note on the merge request: the marker, written by the token's user. */
  async #existingNote(
    projectId: number,
    iid: number,
  ): Promise<number | undefined> {
    const [user, notes] = await Promise.all([
      this.#gitlab.currentUser(),
      this.#gitlab.notes(projectId, iid),
    ]);
    return notes.find(
      note =>
        !note.system &&
        note.author?.id === user.id &&
        note.body.startsWith(IMPACT_NOTE_MARKER),
    )?.id;
  }

  async #diff(
    tenant: string,
    name: string,
    text: string,
    context: ReviewContext,
  ): Promise<ReviewFinding> {
    const parsed = await this.#parser.parse(text);
    if (!parsed.valid) {
      return { kind: 'invalid', errors: parsed.errors };
    }
    if (parsed.kind !== 'akili' || parsed.manifests.length !== 1) {
      return {
        kind: 'invalid',
        errors: [],
        message: `Only one Akili DataProduct manifest (apiVersion akili.io/v1alpha1) is reviewed; this is ${
          parsed.kind === 'akili'
            ? `${parsed.manifests.length} products`
            : `an ${parsed.kind.toUpperCase()} document`
        }`,
      };
    }
    const [claimed] = parsed.manifests;
    if (claimed.metadata.namespace !== tenant) {
      context.warnings.push(
        `metadata.namespace '${claimed.metadata.namespace}' is not the project's tenant: the product is tenant '${tenant}''s, as its GitLab group says`,
      );
    }
    if (claimed.metadata.name !== name) {
      context.warnings.push(
        `metadata.name '${claimed.metadata.name}' is not the project's name: the product is '${name}', as its GitLab project says`,
      );
    }
    // The product is where the project lives, whatever the text claims.
    const manifest: DataProductManifest = {
      ...claimed,
      metadata: { ...claimed.metadata, namespace: tenant, name },
    };
    const current = await this.#products.current(tenant, name);
    if (!current) {
      return { kind: 'new' };
    }
    const diff = diffManifests(current.manifest, manifest);
    const impact = await findConsumers({
      catalog: this.#catalog,
      credentials: await this.#auth.getOwnServiceCredentials(),
      tenant,
      name,
      namespaces: [tenant],
      diff,
    });
    return { kind: 'diff', revision: current.revision, diff, impact };
  }

  /** Logs a review that failed (GitLab down, the registry unreachable). */
  logFailure(event: MergeRequestEvent, error: unknown) {
    this.#logger.warn('Merge request review failed', {
      projectId: event.projectId,
      mergeRequest: event.iid,
      reason: isError(error)
        ? `${error.name}: ${error.message}`
        : String(error),
    });
  }
}
