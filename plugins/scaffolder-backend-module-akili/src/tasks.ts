import { AuthService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { TaskAccessFacts, tenantOfTaskParameters } from './access';

/** Reads what access to a task depends on: its creator and its tenant. */
export interface TaskFactsReader {
  /** `undefined` when there is no such task. */
  read(taskId: string): Promise<TaskAccessFacts | undefined>;
}

/**
 * Reads tasks through the scaffolder's own API, as this plugin (the permission service lets a
 * plugin's own service credentials through; the task access router lets only this plugin's
 * service principal read tasks).
 */
export class ScaffolderTaskFactsReader implements TaskFactsReader {
  readonly #scaffolder: ScaffolderService;
  readonly #auth: AuthService;

  constructor(options: { scaffolder: ScaffolderService; auth: AuthService }) {
    this.#scaffolder = options.scaffolder;
    this.#auth = options.auth;
  }

  async read(taskId: string): Promise<TaskAccessFacts | undefined> {
    try {
      const task = await this.#scaffolder.getTask(
        { taskId },
        { credentials: await this.#auth.getOwnServiceCredentials() },
      );
      // The API answers `createdBy` too; ScaffolderTask does not declare it.
      const { createdBy } = task as typeof task & { createdBy?: string };
      return {
        createdBy: createdBy || undefined,
        tenant: tenantOfTaskParameters(task.spec?.parameters),
      };
    } catch (error) {
      if (
        error instanceof Error &&
        error.name === 'ResponseError' &&
        (error as ResponseError).response.status === 404
      ) {
        return undefined;
      }
      throw error;
    }
  }
}
