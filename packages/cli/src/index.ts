/**
 * The `akili` command line: validate, diff and submit data product manifests, and sign in to
 * the portal with an Akili API token.
 *
 * @packageDocumentation
 */

import { main } from './cli';

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`akili: ${error?.stack ?? error}\n`);
    // An unexpected failure is not a verdict on the manifest: not 1.
    process.exitCode = 70;
  },
);
