/**
 * Exit codes of every `akili` command, for scripts and CI jobs.
 *
 * @public
 */
export enum ExitCode {
  /** Done: the manifests are valid, the submission was accepted. */
  Ok = 0,
  /** Refused: an invalid manifest, or the control plane refused it (400, 409). */
  Refused = 1,
  /** Wrong usage, or a file that cannot be read. */
  Usage = 2,
  /** Not signed in, a token the portal refuses (401), or not allowed (403). */
  Auth = 3,
  /** The tenant or product does not exist, or is not visible to the caller (404). */
  NotFound = 4,
  /** The portal cannot be reached, took too long, or failed (5xx). */
  Unavailable = 5,
  /** Stopped with Ctrl-C (128 + SIGINT, as shells report it). */
  Interrupted = 130,
}

/**
 * What a command may touch of its process: passed in, so tests run commands in-process with
 * their own environment and capture the output.
 *
 * @public
 */
export interface CliIo {
  /** Writes to standard output (the result). */
  out(text: string): void;
  /** Writes to standard error (problems, progress). */
  err(text: string): void;
  /** Environment variables: `AKILI_URL`, `AKILI_TOKEN`, `XDG_CONFIG_HOME`, `HOME`. */
  env: Record<string, string | undefined>;
  /** Directory relative file names are read from. */
  cwd: string;
  /** Whether standard output is a terminal (people read it) rather than a pipe or a file. */
  stdoutIsTty?: boolean;
  /** Standard input, for commands that read a statement from it. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Calls `handler` on Ctrl-C (SIGINT) instead of ending the process; answers the function that
   * gives Ctrl-C back.
   */
  onInterrupt?(handler: () => void): () => void;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    out: text => process.stdout.write(text),
    err: text => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: process.stdout.isTTY === true,
    stdin: process.stdin,
    onInterrupt: handler => {
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGINT', handler);
      };
    },
  };
}

/** A usage error: printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  name = 'UsageError';
}
