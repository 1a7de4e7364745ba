/**
 * The steps of an action that changes something outside the database (publishing to Kafka,
 * launching a Dagster run), so that it is never left unaudited.
 *
 * @public
 */
export interface AuditedActionSteps<T> {
  /** Records the intent (committed) before anything happens; when it fails, nothing happens. */
  intent: () => Promise<void>;
  /** The action outside the database. */
  action: () => Promise<T>;
  /** Records the outcome of an action that succeeded. */
  succeeded: (result: T) => Promise<void>;
  /** Records the outcome of an action that failed, with its error. */
  failed: (error: unknown) => Promise<void>;
}

/**
 * Runs an outside action between its recorded intent and its recorded outcome: the intent is
 * written (and committed) first, then the action runs, then its success or failure is written.
 * The action's own error is what the caller gets when it fails, after the failure was recorded
 * (or, when even that fails, with the intent still standing as the record that it was tried).
 * An outcome that cannot be written after a success is thrown: the intent row shows the action
 * was tried, and the caller says it may have happened.
 *
 * @public
 */
export async function runAuditedAction<T>(
  steps: AuditedActionSteps<T>,
): Promise<T> {
  await steps.intent();
  let result: T;
  try {
    result = await steps.action();
  } catch (error) {
    await steps.failed(error).catch(() => {
      // The intent stands as the record; the action's error is the answer.
    });
    throw error;
  }
  await steps.succeeded(result);
  return result;
}
