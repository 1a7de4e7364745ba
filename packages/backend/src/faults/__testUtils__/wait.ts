// What every fault test holds the portal to, and how it waits for it.

/** A request must be answered within this (a hang past it is a failure). */
export const ANSWER_MS = 5_000;
/** The portal must be back within this of the dependency's return. */
export const RECOVERY_MS = 30_000;

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Polls `done` every 100 ms until it holds or `ms` passed; resolves whether it holds. A check
 * that throws (a request that got no answer) counts as not yet.
 */
export async function until(
  done: () => boolean | Promise<boolean>,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  const holds = () =>
    Promise.resolve()
      .then(done)
      .catch(() => false);
  while (Date.now() < deadline) {
    if (await holds()) return true;
    await sleep(100);
  }
  return holds();
}
