import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/**
 * What a token may do, as GitLab decides it from the token's user and scopes: which groups it
 * reaches and whether it may push.
 */
export interface TestTokenAccess {
  /**
   * Full paths of the groups (and their subgroups) whose projects the token reaches; every group
   * when unset.
   */
  groups?: string[];
  /**
   * False for a token that may read but not push (a Reporter, or a token with
   * `read_repository` only): GitLab answers a push with 403.
   */
  push?: boolean;
}

/** The part of the test server the git endpoints need. */
export interface GitHttpHost {
  /** The project at a full path (or a former path), if the server knows it. */
  findProject(
    pathWithNamespace: string,
  ): { pathWithNamespace: string } | undefined;
  /** The access of a token, if the server knows the token. */
  tokenAccess(token: string): TestTokenAccess | undefined;
  /** Called after a push was received into the project's repository. */
  pushed(pathWithNamespace: string): void;
  /** Called before the first git request of a project that has no repository yet. */
  missingRepository(pathWithNamespace: string): void;
}

/** The git smart HTTP endpoints, below a project's path with `.git`. */
const GIT_PATH =
  /^\/(.+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

const GIT_AUTHOR = {
  GIT_AUTHOR_NAME: 'GitLab Test Server',
  GIT_AUTHOR_EMAIL: 'gitlab-test-server@example.test',
  GIT_COMMITTER_NAME: 'GitLab Test Server',
  GIT_COMMITTER_EMAIL: 'gitlab-test-server@example.test',
};

/**
 * Git over smart HTTP for the projects of the test server, served by the machine's
 * `git http-backend` as a CGI from bare repositories in a temporary directory
 * (`GIT_PROJECT_ROOT`). Authentication is GitLab's for git over HTTP: basic auth with any
 * username and a token as the password (`oauth2:<token>`); no or a wrong token is a 401 with
 * `WWW-Authenticate`, a project the token does not reach a 404, a push without push access a 403.
 */
export class GitHttpBackend {
  /** The `GIT_PROJECT_ROOT`: one bare repository per project, at `<full path>.git`. */
  readonly root: string;

  constructor(private readonly host: GitHttpHost) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitlab-test-git-'));
  }

  /** Whether a request path is one of the git smart HTTP endpoints. */
  static isGitPath(pathname: string) {
    return GIT_PATH.test(pathname);
  }

  /** The bare repository of a project. */
  repositoryDir(pathWithNamespace: string) {
    return path.join(this.root, `${pathWithNamespace}.git`);
  }

  hasRepository(pathWithNamespace: string) {
    return fs.existsSync(this.repositoryDir(pathWithNamespace));
  }

  /**
   * Creates the bare repository of a project (`HEAD` on its default branch), with one commit per
   * branch holding the given files when there are any.
   */
  createRepository(
    pathWithNamespace: string,
    defaultBranch: string,
    files: Record<string, Record<string, string>> = {},
  ) {
    const dir = this.repositoryDir(pathWithNamespace);
    fs.mkdirSync(dir, { recursive: true });
    this.git(dir, [
      'init',
      '--quiet',
      '--bare',
      `--initial-branch=${defaultBranch}`,
    ]);
    this.git(dir, ['config', 'http.receivepack', 'true']);
    const index = path.join(dir, 'test-server-index');
    for (const [branch, branchFiles] of Object.entries(files)) {
      fs.rmSync(index, { force: true });
      for (const [file, content] of Object.entries(branchFiles)) {
        const blob = this.git(dir, ['hash-object', '-w', '--stdin'], {
          input: content,
        });
        this.git(
          dir,
          ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`],
          { env: { GIT_INDEX_FILE: index } },
        );
      }
      const tree = this.git(dir, ['write-tree'], {
        env: { GIT_INDEX_FILE: index },
      });
      const commit = this.git(
        dir,
        ['commit-tree', tree, '-m', 'Initial commit'],
        {
          env: GIT_AUTHOR,
        },
      );
      this.git(dir, ['update-ref', `refs/heads/${branch}`, commit]);
    }
    fs.rmSync(index, { force: true });
  }

  /** The files of every branch of a project's repository (text, as UTF-8), by branch and path. */
  readBranches(pathWithNamespace: string) {
    const dir = this.repositoryDir(pathWithNamespace);
    const files: Record<string, Record<string, string>> = {};
    const branches = this.git(dir, [
      'for-each-ref',
      '--format=%(refname:strip=2)',
      'refs/heads',
    ])
      .split('\n')
      .filter(Boolean);
    for (const branch of branches) {
      files[branch] = {};
      const paths = this.git(dir, [
        'ls-tree',
        '-r',
        '-z',
        '--name-only',
        `refs/heads/${branch}`,
      ])
        .split('\0')
        .filter(Boolean);
      for (const file of paths) {
        files[branch][file] = execFileSync(
          'git',
          ['cat-file', 'blob', `refs/heads/${branch}:${file}`],
          { cwd: dir, env: this.env() },
        ).toString('utf8');
      }
    }
    return files;
  }

  /**
   * Answers a git smart HTTP request (`info/refs`, `git-upload-pack`, `git-receive-pack`) the
   * way GitLab does, running `git http-backend` for a known project and an allowed token.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const [, projectPath, endpoint] = GIT_PATH.exec(url.pathname)!;
    const service =
      endpoint === 'info/refs' ? url.searchParams.get('service') : endpoint;
    const text = (
      status: number,
      body: string,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        ...headers,
      });
      res.end(body);
    };
    // GitLab asks for credentials before saying whether a private project exists.
    const credentials = basicCredentials(req.headers.authorization);
    const access = credentials && this.host.tokenAccess(credentials.password);
    if (!credentials || !access) {
      text(
        401,
        credentials
          ? "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password. If a token was provided, it was either incorrect, expired, or improperly scoped.\n"
          : 'HTTP Basic: Access denied\n',
        { 'www-authenticate': 'Basic realm="GitLab"' },
      );
      return;
    }
    const project = this.host.findProject(decodeURIComponent(projectPath));
    const reaches = (fullPath: string) =>
      !access.groups ||
      access.groups.some(group =>
        fullPath.toLowerCase().startsWith(`${group.toLowerCase()}/`),
      );
    if (!project || !reaches(project.pathWithNamespace)) {
      text(
        404,
        "The project you were looking for could not be found or you don't have permission to view it.\n",
      );
      return;
    }
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      text(403, 'Unsupported service\n');
      return;
    }
    if (service === 'git-receive-pack' && access.push === false) {
      text(403, 'You are not allowed to push code to this project.\n');
      return;
    }
    if (!this.hasRepository(project.pathWithNamespace)) {
      this.host.missingRepository(project.pathWithNamespace);
    }
    this.runBackend(req, res, {
      pathInfo: `/${project.pathWithNamespace}.git/${endpoint}`,
      query: url.search.replace(/^\?/, ''),
      user: credentials.username,
    }).then(
      status => {
        if (endpoint === 'git-receive-pack' && status >= 200 && status < 300) {
          this.host.pushed(project.pathWithNamespace);
        }
      },
      error => {
        if (!res.headersSent) {
          text(500, `git http-backend failed: ${error}\n`);
        } else {
          res.destroy(error);
        }
      },
    );
  }

  /** Removes the repository of a project (deleted from GitLab). */
  removeRepository(pathWithNamespace: string) {
    fs.rmSync(this.repositoryDir(pathWithNamespace), {
      recursive: true,
      force: true,
    });
  }

  /** Removes the repositories. */
  dispose() {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Runs `git http-backend` as a CGI for one request; resolves with the HTTP status it gave. */
  private runBackend(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    cgi: { pathInfo: string; query: string; user: string },
  ): Promise<number> {
    const headerEnv: Record<string, string> = {};
    const contentLength = req.headers['content-length'];
    if (contentLength) {
      headerEnv.CONTENT_LENGTH = contentLength;
    }
    if (req.headers['content-encoding']) {
      headerEnv.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    }
    if (req.headers['git-protocol']) {
      headerEnv.GIT_PROTOCOL = String(req.headers['git-protocol']);
    }
    const child = spawn('git', ['http-backend'], {
      env: this.env({
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: cgi.pathInfo,
        QUERY_STRING: cgi.query,
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: cgi.user,
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        ...headerEnv,
      }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {}); // the backend may answer before reading all
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const errors: Buffer[] = [];
      child.stdout.on('data', chunk => chunks.push(chunk));
      child.stderr.on('data', chunk => errors.push(chunk));
      child.on('error', reject);
      child.on('close', code => {
        const output = Buffer.concat(chunks);
        const parsed = parseCgiOutput(output);
        if (!parsed) {
          reject(
            new Error(
              `exit ${code}, no CGI headers: ${Buffer.concat(errors)
                .toString('utf8')
                .trim()}`,
            ),
          );
          return;
        }
        res.writeHead(parsed.status, parsed.headers);
        res.end(parsed.body);
        resolve(parsed.status);
      });
    });
  }

  private env(extra: Record<string, string> = {}) {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.root,
      GIT_CONFIG_NOSYSTEM: '1',
      ...extra,
    };
  }

  private git(
    dir: string,
    args: string[],
    options: { input?: string; env?: Record<string, string> } = {},
  ) {
    return execFileSync('git', args, {
      cwd: dir,
      input: options.input,
      env: this.env(options.env),
    })
      .toString('utf8')
      .trim();
  }
}

/** Username and password of a `Basic` authorization header. */
function basicCredentials(header: string | undefined) {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return undefined;
  }
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

/** The status, headers and body of a CGI response (`Status:` header, blank line, body). */
function parseCgiOutput(output: Buffer) {
  let end = output.indexOf('\r\n\r\n');
  let separator = 4;
  const lf = output.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) {
    end = lf;
    separator = 2;
  }
  if (end < 0) {
    return undefined;
  }
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of output
    .subarray(0, end)
    .toString('latin1')
    .split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) {
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') {
      status = Number(value.split(' ')[0]);
    } else {
      headers[name] = value;
    }
  }
  return { status, headers, body: output.subarray(end + separator) };
}
