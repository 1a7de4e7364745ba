import { diffManifests } from '@akili/plugin-akili-common';
import { describeDiff } from '../lib/describe';
import { CliIo, ExitCode } from '../lib/io';
import { formatProblem, validateFiles } from './validate';

/**
 * `akili diff <old> <new>`: the changes between two versions of a product's manifest, offline,
 * with the control plane's rules (`diffManifests`): breaking changes marked. Exit code 1 when a
 * change is breaking (the portal would ask for an acknowledgement and a major version), so a
 * merge-request pipeline can stop on it.
 */
export async function runDiff(
  previousFile: string,
  nextFile: string,
  options: { format: 'text' | 'json' },
  io: CliIo,
): Promise<ExitCode> {
  const results = await validateFiles([previousFile, nextFile], io.cwd);
  let code = ExitCode.Ok;
  for (const result of results) {
    if (result.unreadable) {
      io.err(`${result.file}: cannot read: ${result.unreadable}\n`);
      code = ExitCode.Usage;
    } else if (!result.valid) {
      for (const problem of result.errors) {
        io.err(`${formatProblem(result.file, problem)}\n`);
      }
      code = Math.max(code, ExitCode.Refused);
    } else if (result.manifests.length !== 1) {
      io.err(
        `${result.file}: an ODCS contract alone is no product; diff the product's manifest or ODPS file\n`,
      );
      code = Math.max(code, ExitCode.Refused);
    }
  }
  if (code !== ExitCode.Ok) {
    return code;
  }
  const [previous, next] = results.map(r => r.manifests[0]);
  const diff = diffManifests(previous, next);
  if (options.format === 'json') {
    io.out(`${JSON.stringify(diff, null, 2)}\n`);
  } else {
    const names = [previous, next].map(
      m =>
        `dataproduct:${m.metadata.namespace ?? 'default'}/${m.metadata.name}`,
    );
    if (names[0] !== names[1]) {
      io.err(
        `Note: comparing two different products, ${names.join(' and ')}\n`,
      );
    }
    io.out(`${describeDiff(diff).join('\n')}\n`);
  }
  return diff.breaking ? ExitCode.Refused : ExitCode.Ok;
}
