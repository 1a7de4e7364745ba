import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  MergeRequestEvent,
  MergeRequestReviewer,
} from './MergeRequestReviewer';

/** The webhook's path below the plugin, unauthenticated for Backstage (the secret decides). */
export const GITLAB_WEBHOOK_PATH = '/v1/webhooks/gitlab';

/** The webhook's settings (`akili.reviews`). */
export interface ReviewsConfig {
  webhookSecret?: string;
  manifestPath: string;
}

/** Reads `akili.reviews`. */
export function readReviewsConfig(config: Config): ReviewsConfig {
  return {
    webhookSecret:
      config.getOptionalString('akili.reviews.gitlab.webhookSecret') ||
      undefined,
    manifestPath:
      config.getOptionalString('akili.reviews.manifestPath') ??
      'dataproduct.yaml',
  };
}

/** Compares secrets in time independent of where they differ (hashes have equal lengths). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** The fields a review reads from a "Merge Request Hook" body, or an `InputError` naming what is missing. */
export function parseMergeRequestEvent(body: any): MergeRequestEvent {
  const attributes = body?.object_attributes;
  const projectId = body?.project?.id ?? attributes?.target_project_id;
  const problems: string[] = [];
  if (!positiveInteger(projectId)) problems.push('project.id');
  if (!positiveInteger(attributes?.iid)) problems.push('object_attributes.iid');
  for (const key of ['source_branch', 'target_branch', 'state']) {
    if (typeof attributes?.[key] !== 'string' || !attributes[key]) {
      problems.push(`object_attributes.${key}`);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `Not a GitLab merge request event: ${problems.join(
        ', ',
      )} missing or invalid`,
    );
  }
  return {
    projectId,
    iid: attributes.iid,
    // GitLab sends no action for some updates (e.g. a label change): not a new push.
    action: typeof attributes.action === 'string' ? attributes.action : '',
    state: attributes.state,
    sourceBranch: attributes.source_branch,
    targetBranch: attributes.target_branch,
    sourceProjectId: positiveInteger(attributes.source_project_id)
      ? attributes.source_project_id
      : projectId,
    ...(typeof attributes.last_commit?.id === 'string'
      ? { lastCommit: attributes.last_commit.id }
      : {}),
  };
}

/**
 * `POST /v1/webhooks/gitlab`: GitLab's webhook for merge-request events. The `X-Gitlab-Token`
 * header must equal `akili.reviews.gitlab.webhookSecret` (401 otherwise, and always when none
 * is set). A merge-request event is answered `202` at once and reviewed afterwards (GitLab waits
 * only a few seconds for an answer); other events are answered `200` and ignored.
 */
export function createReviewsRouter(options: {
  logger: LoggerService;
  config: ReviewsConfig;
  /** The reviewer, or why reviews cannot reach GitLab (answered 503). */
  reviewer: MergeRequestReviewer | string;
}): express.Router {
  const { logger, config, reviewer } = options;
  const router = Router();

  // The event is read (JSON, up to 1 MB: GitLab's merge-request payloads are small) and checked
  // against the spec by the plugin's router.
  router.post(GITLAB_WEBHOOK_PATH, async (req, res) => {
    if (!config.webhookSecret) {
      // No secret, no caller: deny rather than accept unauthenticated events.
      throw new AuthenticationError(
        'The GitLab webhook accepts no event: akili.reviews.gitlab.webhookSecret is not set',
      );
    }
    const token = req.header('x-gitlab-token');
    if (!token || !sameSecret(token, config.webhookSecret)) {
      logger.warn('GitLab webhook refused', {
        reason: token ? 'wrong secret' : 'no X-Gitlab-Token',
      });
      throw new AuthenticationError(
        'X-Gitlab-Token is missing or wrong: set the webhook\'s "Secret token" to akili.reviews.gitlab.webhookSecret',
      );
    }
    const kind = req.body?.object_kind;
    if (kind !== 'merge_request') {
      res.status(200).json({ ignored: `object_kind ${String(kind)}` });
      return;
    }
    const event = parseMergeRequestEvent(req.body);
    if (typeof reviewer === 'string') {
      throw new ServiceUnavailableError(
        `Merge-request reviews need GitLab, which is not configured: ${reviewer}`,
      );
    }
    res.status(202).json({ accepted: true });
    // After answering: GitLab's calls must not hold GitLab's webhook.
    reviewer.review(event).then(
      outcome => {
        if (outcome.result === 'ignored') {
          logger.info('Merge request not reviewed', {
            projectId: event.projectId,
            mergeRequest: event.iid,
            reason: outcome.reason,
          });
        }
      },
      error => reviewer.logFailure(event, error),
    );
  });

  return router;
}
