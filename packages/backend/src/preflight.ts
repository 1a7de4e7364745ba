import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, isMap, isSeq, isScalar, Node } from 'yaml';

/** An environment variable that a config file refers to but that is not set. */
export interface MissingEnvironmentVariable {
  file: string;
  /** Dotted config key, for example `backend.database.connection.password`. */
  key: string;
  variable: string;
}

// `${NAME}` substitutes, `$${NAME}` is an escaped literal (Backstage config-loader semantics).
const SUBSTITUTION = /(?<!\$)\$\{([^{}]+)\}/g;

/** The config files a backend process was started with (`--config <file>`, repeatable). */
export function configFilesFromArgv(argv: string[], cwd = process.cwd()) {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config' && argv[i + 1]) {
      files.push(argv[++i]);
    } else if (arg.startsWith('--config=')) {
      files.push(arg.slice('--config='.length));
    }
  }
  return files
    .filter(f => !/^[a-z]+:\/\//i.test(f)) // remote config URLs are not inspected
    .map(f => path.resolve(cwd, f));
}

/** Lists every `${VAR}` in the given YAML files whose variable is unset or empty. */
export function findMissingEnvironment(
  files: string[],
  env: NodeJS.ProcessEnv,
): MissingEnvironmentVariable[] {
  const missing: MissingEnvironmentVariable[] = [];
  for (const file of files) {
    const doc = parseDocument(fs.readFileSync(file, 'utf8'));
    const visit = (node: Node | null | undefined, key: string[]) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const name = isScalar(pair.key) ? String(pair.key.value) : '?';
          visit(pair.value as Node, [...key, name]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) =>
          visit(item as Node, [...key, `[${i}]`]),
        );
      } else if (isScalar(node) && typeof node.value === 'string') {
        for (const match of node.value.matchAll(SUBSTITUTION)) {
          const variable = match[1].trim();
          if (!env[variable]) {
            missing.push({
              file,
              key: key.join('.').replace(/\.\[/g, '['),
              variable,
            });
          }
        }
      }
    };
    visit(doc.contents as Node, []);
  }
  return missing;
}

/**
 * Exits the process with a message naming each missing variable and the config key that needs
 * it. Run before the backend starts, so a misconfigured deployment fails in its first second.
 */
export function assertConfigEnvironment(
  argv: string[],
  env: NodeJS.ProcessEnv,
  exit: (code: number) => never = process.exit,
) {
  const missing = findMissingEnvironment(configFilesFromArgv(argv), env);
  if (missing.length === 0) {
    return;
  }
  const lines = missing.map(
    m => `  ${m.variable} (needed by ${m.key} in ${path.basename(m.file)})`,
  );
  process.stderr.write(
    `Akili Portal cannot start: ${
      missing.length
    } environment variable(s) used by the configuration are not set:\n${lines.join(
      '\n',
    )}\n`,
  );
  exit(1);
}
