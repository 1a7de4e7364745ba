import { CliIo } from '../lib/io';

/** A {@link CliIo} that records what a command prints. */
export function captureIo(
  env: CliIo['env'] = {},
  cwd = process.cwd(),
): CliIo & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  return {
    out: text => {
      out += text;
    },
    err: text => {
      err += text;
    },
    env,
    cwd,
    stdout: () => out,
    stderr: () => err,
  };
}
