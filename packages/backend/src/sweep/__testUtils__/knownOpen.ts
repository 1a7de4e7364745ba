/** What the sweep found wrong with one call. */
export type ProblemKind =
  /** A caller with their own tenant's resources did not get the status the table says. */
  | 'own-status'
  /** An answer carried the other tenant's data or names. */
  | 'leak'
  /** A call naming the other tenant's resources was neither 403 nor 404. */
  | 'cross-status'
  /** A call naming the other tenant's resources was answered unlike one naming missing ones. */
  | 'distinguishable'
  /** A case's own check of the answer failed. */
  | 'check'
  /** A call without valid credentials was not refused with 401 (or not as the table says). */
  | 'unauthenticated';

/** One problem the sweep found. */
export interface Problem {
  /** The route's table key. */
  route: string;
  /** The case's name, for routes with several. */
  case?: string;
  kind: ProblemKind;
  /** Who called: a sweep user, or `anonymous`. */
  caller: string;
  detail: string;
}

/**
 * A hole the sweep finds that another workstream of issue 10 is closing: the sweep passes while
 * it is open, prints it, and fails once it is closed (so that the entry is removed).
 */
export interface KnownOpen {
  route: string;
  /** The case's name; every case of the route when absent. */
  case?: string;
  /** What the sweep sees wrong; each must still be seen. */
  kinds: ProblemKind[];
  /** What leaks or goes wrong. */
  leaks: string;
  /** The class of issue 10 that closes it, and the workstream. */
  closedBy: string;
}

/**
 * The holes open today. The lead empties this list at integration: each entry names the class
 * of issue 10 that closes it. Never add a case here to hide a bug of the sweep itself.
 */
export const KNOWN_OPEN: KnownOpen[] = [];

/** Whether a problem is one of the known open holes. */
export function isKnownOpen(problem: Problem, known: KnownOpen): boolean {
  return (
    known.route === problem.route &&
    known.kinds.includes(problem.kind) &&
    (known.case === undefined || known.case === problem.case)
  );
}

/** The kinds of a known open hole the sweep no longer sees (closed, or closed in part). */
export function closedKinds(
  known: KnownOpen,
  problems: Problem[],
): ProblemKind[] {
  return known.kinds.filter(
    kind => !problems.some(p => isKnownOpen(p, { ...known, kinds: [kind] })),
  );
}
