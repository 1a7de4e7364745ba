import { Renderers, cli, command } from 'cleye';
import { runDeploy } from './commands/deploy';
import { runDiff } from './commands/diff';
import { runLogin, runLogout, runWhoami } from './commands/login';
import { runQuery } from './commands/query';
import { runListRuns, runShowRun } from './commands/runs';
import { runSubmit } from './commands/submit';
import { runValidate } from './commands/validate';
import { CliIo, ExitCode, UsageError, processIo } from './lib/io';
import { version } from '../package.json';

const formatFlag = {
  type: String,
  description: 'Output: "text" for people (default) or "json" for machines',
  placeholder: '<text|json>',
  default: 'text',
};

const EXIT_CODES = [
  'Exit codes: 0 ok, 1 invalid or refused (400, 409), 2 usage or unreadable file,',
  '3 not signed in or not allowed (401, 403), 4 not found (404),',
  '5 portal unreachable, too slow or failing (5xx).',
].join('\n');

/** Help with a short description (also listed by `akili --help`) and longer notes below. */
function help(
  description: string,
  notes: string,
  examples?: string[],
  usage?: string,
) {
  return {
    description,
    examples,
    usage,
    render: (nodes: unknown[], renderers: Renderers) =>
      renderers.render([
        ...nodes,
        {
          type: 'section',
          data: { title: 'NOTES:', body: notes, indentBody: 2 },
        },
      ] as Parameters<Renderers['render']>[0]),
  };
}

const validateCommand = command({
  name: 'validate',
  parameters: ['[file...]'],
  flags: { format: formatFlag },
  help: help(
    'Validate manifests offline, with the rules of the portal',
    [
      'Reads Akili manifests, ODPS v1 products and ODCS v3 contracts (YAML or JSON) with the',
      "portal's own parser. ODPS and ODCS files are checked against the official schemas, then",
      "mapped onto Akili's model: what Akili cannot use is a warning, not an error (a contract with",
      'several schema objects gives several ports; quality rules of other engines are kept as',
      'checked elsewhere). An ODPS product is read with the ODCS contracts given and the',
      '*.odcs.yaml files in its directory; a contract found nowhere is a warning (the registry',
      'resolves it on submission). Problems print as <file>:<line>:<column>: <path>: <message>,',
      'warnings as <file>:<line>:<column>: warning: <path>: <message>.',
      'Exit codes: 0 all valid, 1 invalid, 2 usage or unreadable file.',
    ].join('\n'),
    [
      'akili validate dataproduct.yaml',
      'akili validate examples/data-products/*/*/*.yaml --format json',
    ],
    'akili validate [--format json] <file...>',
  ),
});

const diffCommand = command({
  name: 'diff',
  parameters: ['[old]', '[new]'],
  flags: { format: formatFlag },
  help: help(
    'Compare two versions of a manifest offline; breaking changes marked',
    [
      "Uses the control plane's rules: removed ports or columns, type changes, tightened",
      'contract terms, lower SLOs... are breaking and need a new major version in spec.version',
      '(and --acknowledge-breaking when submitting). Akili manifests or ODPS products.',
      'Exit codes: 0 no breaking change, 1 breaking changes or an invalid file,',
      '2 usage or unreadable file.',
    ].join('\n'),
    [
      'akili diff <(git show main:dataproduct.yaml) dataproduct.yaml',
      'akili diff old/dataproduct.yaml dataproduct.yaml --format json',
    ],
    'akili diff [--format json] <old> <new>',
  ),
});

const loginCommand = command({
  name: 'login',
  flags: {
    url: {
      type: String,
      description: "The portal's address, e.g. https://portal.example.com",
      placeholder: '<url>',
    },
    token: {
      type: String,
      description:
        "Sign in with an Akili API token (issued by a tenant's operators on the Tenants page) instead of the browser",
      placeholder: '<token>',
    },
    noBrowser: {
      type: Boolean,
      description:
        'Print the sign-in address instead of opening a browser (open it in a browser on this machine)',
    },
    timeout: {
      type: Number,
      description: 'Seconds to wait for the browser sign-in (default 300)',
      placeholder: '<seconds>',
    },
  },
  help: help(
    'Sign in to the portal: in the browser, or with an Akili API token',
    [
      'Without --token, opens the portal in your browser: you sign in as usual and approve',
      'the command line. The portal answers to a one-time listener on 127.0.0.1 (PKCE, a',
      'random state); the token you get acts as you, with your tenants and roles, and lasts',
      'an hour: then run "akili login" again. With --token, keeps an Akili API token (for CI).',
      'The token is checked against the portal (GET /api/akili/v1/me), then kept in',
      '$XDG_CONFIG_HOME/akili/config.json (else ~/.config/akili/config.json), mode 0600 in a',
      'directory of mode 0700. AKILI_URL and AKILI_TOKEN, when set, override the saved login',
      '(for CI jobs) and stand in for the flags here. Without --url, signs in again to the',
      'saved portal.',
      EXIT_CODES,
    ].join('\n'),
    [
      'akili login --url https://portal.example.com',
      'akili login --url https://portal.example.com --no-browser',
      'akili login --url https://portal.example.com --token "$AKILI_TOKEN"',
    ],
    'akili login --url <url> [--no-browser] [--timeout <seconds>] | --token <token>',
  ),
});

const logoutCommand = command({
  name: 'logout',
  help: help(
    'Forget the saved login',
    'Removes the saved config.json; AKILI_URL and AKILI_TOKEN are not touched.',
    undefined,
    'akili logout',
  ),
});

const whoamiCommand = command({
  name: 'whoami',
  flags: { format: formatFlag },
  help: help(
    'Show who the portal takes you for, with your tenants and roles',
    EXIT_CODES,
    undefined,
    'akili whoami [--format json]',
  ),
});

const submitCommand = command({
  name: 'submit',
  parameters: ['[file]'],
  flags: {
    tenant: {
      type: String,
      description:
        'The tenant to submit to (the product lands there, whatever the file says)',
      placeholder: '<tenant>',
    },
    dryRun: {
      type: Boolean,
      description:
        'Validate and diff against the registered version; store nothing',
    },
    acknowledgeBreaking: {
      type: Boolean,
      description:
        'Accept breaking changes (removed ports or columns, type changes...); needs a major version bump',
    },
    format: formatFlag,
  },
  help: help(
    "Submit a manifest to the portal's product registry",
    [
      'Sends the file (Akili, ODPS or ODCS) to POST /api/akili/v1/tenants/<tenant>/products;',
      'the portal tells the format by apiVersion/kind. An ODCS contract registers a product with a',
      "port per schema object; an ODPS product's contracts are looked up in the tenant's registry",
      '(submit them first). What Akili cannot use of an ODPS/ODCS file comes back as warnings.',
      'The product lands in the tenant given, whatever the file says. The answer lists the',
      'changes to the registered version (breaking ones marked), warnings and the downstream',
      'products affected.',
      EXIT_CODES,
    ].join('\n'),
    [
      'akili submit dataproduct.yaml --tenant acme --dry-run',
      'akili submit dataproduct.yaml --tenant acme --acknowledge-breaking',
    ],
    'akili submit <file> --tenant <tenant> [--dry-run] [--acknowledge-breaking] [--format json]',
  ),
});

const deployCommand = command({
  name: 'deploy',
  parameters: ['[name]'],
  flags: {
    tenant: {
      type: String,
      description: 'The tenant of the product',
      placeholder: '<tenant>',
    },
    pipeline: {
      type: String,
      description:
        'Record this pipeline of the product\'s project (an id, or "current": CI_PIPELINE_ID) instead of running one',
      placeholder: '<id|current>',
    },
    noWait: {
      type: Boolean,
      description:
        'Start or record the deployment and end at once, without following it',
    },
    noFollow: {
      type: Boolean,
      description: 'The same as --no-wait',
    },
    format: formatFlag,
  },
  help: help(
    'Deploy a registered data product through its GitLab pipeline',
    [
      "Asks the portal to run the pipeline of the product's GitLab project (the tenant's own,",
      'on its default branch) and follows it with a line per status until it ends: exit 0',
      'deployed, 1 failed or canceled, 5 when its end is not known. AKILI_POLL_INTERVAL sets',
      'the seconds between two reads (default 3). Ctrl-C stops following, not the deployment.',
      "With --pipeline, the portal records that pipeline (of the product's project, on its",
      'default branch) as a deployment of the current version instead: what a deploy job of the',
      "product's CI does, with --no-wait, since it cannot wait for its own pipeline to end.",
      'Recording a pipeline again answers the deployment recorded first.',
      EXIT_CODES,
    ].join('\n'),
    [
      'akili deploy orders --tenant acme',
      'akili deploy orders --tenant acme --no-wait',
      'akili deploy orders --tenant acme --pipeline current --no-wait',
    ],
    'akili deploy <name> --tenant <tenant> [--pipeline <id|current>] [--no-wait] [--format json]',
  ),
});

const runsCommand = command({
  name: 'runs',
  parameters: ['[product]', '[runId]'],
  flags: {
    tenant: {
      type: String,
      description: 'The tenant of the product',
      placeholder: '<tenant>',
    },
    limit: {
      type: Number,
      description: 'How many of the newest runs to list (1 to 200, default 50)',
      placeholder: '<n>',
    },
    status: {
      type: String,
      description:
        'Only runs of these statuses, comma-separated (QUEUED, STARTED, SUCCESS, FAILURE, CANCELED...)',
      placeholder: '<status>',
    },
    cursor: {
      type: String,
      description:
        'Continue after this run id (the cursor printed below a page)',
      placeholder: '<run id>',
    },
    format: formatFlag,
  },
  help: help(
    "List a data product's Dagster runs, or show one run",
    [
      'Reads the runs API (GET /api/dagster/v1/products/<tenant>/<product>/runs): the runs',
      'of the product, newest first, with their status, start, duration and job. "akili runs',
      'show <run id>" shows one run with its steps (GET /api/dagster/v1/runs/<run id>). An API',
      'token needs the permission akili.runs.read.',
      EXIT_CODES,
    ].join('\n'),
    [
      'akili runs orders --tenant acme',
      'akili runs orders --tenant acme --status FAILURE --limit 10 --format json',
      'akili runs show 4f1c2e8a-0b7d-4c43-9a52-3e0d1f6b7c21',
    ],
    'akili runs <product> --tenant <tenant> [--limit n] [--status s] [--cursor c] [--format json]\n' +
      'akili runs show <run id> [--format json]',
  ),
});

const queryCommand = command({
  name: 'query',
  flags: {
    tenant: {
      type: String,
      description: 'The tenant whose data product tables to query',
      placeholder: '<tenant>',
    },
    sql: {
      type: String,
      description: 'The statement (else --file, else standard input)',
      placeholder: '<text>',
    },
    file: {
      type: String,
      description: 'A file holding the statement',
      placeholder: '<file>',
    },
    limit: {
      type: Number,
      description: "Rows wanted (capped by the tenant's row quota)",
      placeholder: '<n>',
    },
    format: {
      type: String,
      description:
        'Output: "table" (default on a terminal), "csv" (default in a pipe), "json" or "ndjson"',
      placeholder: '<table|csv|json|ndjson>',
    },
  },
  help: help(
    "Run a read-only SQL statement over a tenant's data product tables",
    [
      'Sends one statement to the query API (POST /api/starrocks/v1/tenants/<tenant>/query).',
      "The portal's guard admits one read-only statement over the tenant's own tables; a",
      'refusal prints its reason and position (exit 1), as does a tenant over its quota of',
      'concurrent queries (429, exit 1). Rows print as they arrive. Columns masked for you read',
      'as NULL; they are named on standard error, with the row count and whether the result',
      'was cut at the row limit. A table shows NULL as NULL and cuts long values. Ctrl-C',
      'aborts the request and the portal stops the query (exit 130). AKILI_TIMEOUT limits how',
      'long the portal may stay silent. An API token needs the permission akili.query.run.',
      EXIT_CODES,
    ].join('\n'),
    [
      'akili query --tenant acme --sql "SELECT status, count(*) FROM sales.orders GROUP BY 1"',
      'akili query --tenant acme --file top_customers.sql --format csv > top.csv',
      'echo "SELECT * FROM sales.orders" | akili query --tenant acme --limit 100 --format ndjson',
    ],
    'akili query --tenant <tenant> [--sql <text> | --file <file>] [--limit n] [--format f]',
  ),
});

function readFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') {
    return value ?? 'text';
  }
  throw new UsageError(`--format must be "text" or "json", not "${value}"`);
}

function rejectUnknownFlags(unknownFlags: Record<string, unknown>) {
  const names = Object.keys(unknownFlags);
  if (names.length > 0) {
    throw new UsageError(
      `Unknown option${names.length > 1 ? 's' : ''}: ${names
        .map(n => (n.length === 1 ? `-${n}` : `--${n}`))
        .join(', ')}`,
    );
  }
}

/**
 * Runs the `akili` command line with `argv` (the arguments after the program) and answers its
 * exit code. `--help` and `--version` print and end the process themselves.
 *
 * @public
 */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
): Promise<ExitCode> {
  const parsed = cli(
    {
      name: 'akili',
      version,
      commands: [
        validateCommand,
        diffCommand,
        loginCommand,
        logoutCommand,
        whoamiCommand,
        submitCommand,
        deployCommand,
        runsCommand,
        queryCommand,
      ],
      help: {
        description:
          'The Akili data product platform on the command line. Run "akili <command> --help" for a command.',
        render: help('', EXIT_CODES).render,
      },
    },
    undefined,
    argv,
  );
  try {
    rejectUnknownFlags(parsed.unknownFlags);
    switch (parsed.command) {
      case 'validate': {
        const files = parsed._.file;
        if (files.length === 0) {
          throw new UsageError('Name at least one manifest file to validate');
        }
        return await runValidate(
          files,
          { format: readFormat(parsed.flags.format) },
          io,
        );
      }
      case 'diff': {
        const { old: previous, new: next } = parsed._;
        if (!previous || !next || parsed._.length > 2) {
          throw new UsageError('Name two manifest files: the old and the new');
        }
        return await runDiff(
          previous,
          next,
          { format: readFormat(parsed.flags.format) },
          io,
        );
      }
      case 'login':
        return await runLogin(parsed.flags, io);
      case 'logout':
        return await runLogout(io);
      case 'whoami':
        return await runWhoami({ format: readFormat(parsed.flags.format) }, io);
      case 'submit': {
        const { file } = parsed._;
        if (!file) {
          throw new UsageError('Name the manifest file to submit');
        }
        if (parsed._.length > 1) {
          throw new UsageError('Submit one manifest file at a time');
        }
        return await runSubmit(
          file,
          {
            tenant: parsed.flags.tenant,
            dryRun: parsed.flags.dryRun === true,
            acknowledgeBreaking: parsed.flags.acknowledgeBreaking === true,
            format: readFormat(parsed.flags.format),
          },
          io,
        );
      }
      case 'deploy': {
        const { name } = parsed._;
        if (!name) {
          throw new UsageError('Name the data product to deploy');
        }
        if (parsed._.length > 1) {
          throw new UsageError('Deploy one data product at a time');
        }
        return await runDeploy(
          name,
          {
            tenant: parsed.flags.tenant,
            follow:
              parsed.flags.noWait !== true && parsed.flags.noFollow !== true,
            format: readFormat(parsed.flags.format),
            ...(parsed.flags.pipeline !== undefined
              ? { pipeline: parsed.flags.pipeline }
              : {}),
          },
          io,
        );
      }
      case 'runs': {
        const { product, runId } = parsed._;
        const format = readFormat(parsed.flags.format);
        if (product === 'show' && runId) {
          if (parsed._.length > 2) {
            throw new UsageError('Show one run at a time');
          }
          return await runShowRun(runId, { format }, io);
        }
        if (!product) {
          throw new UsageError(
            'Name the data product whose runs to list, or "show <run id>"',
          );
        }
        if (parsed._.length > 1) {
          throw new UsageError('List the runs of one product at a time');
        }
        return await runListRuns(
          product,
          {
            tenant: parsed.flags.tenant,
            limit: parsed.flags.limit,
            status: parsed.flags.status,
            cursor: parsed.flags.cursor,
            format,
          },
          io,
        );
      }
      case 'query':
        if (parsed._.length > 0) {
          throw new UsageError(
            'Give the statement with --sql, --file or on standard input, not as an argument',
          );
        }
        return await runQuery(parsed.flags, io);
      default:
        if (parsed._.length > 0) {
          throw new UsageError(`Unknown command "${parsed._[0]}"`);
        }
        parsed.showHelp();
        return ExitCode.Usage;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const name = parsed.command ? ` ${parsed.command}` : '';
      io.err(
        `akili${name}: ${error.message}\nRun "akili${name} --help" for usage.\n`,
      );
      return ExitCode.Usage;
    }
    throw error;
  }
}
