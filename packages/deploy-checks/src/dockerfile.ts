/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  line: number;
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i];
      line = `${line.slice(0, -1)} ${/^\s*#/.test(next) ? '' : next.trim()}`;
    }
    const m = line.trim().match(/^(\S+)\s*(.*)$/s)!;
    out.push({
      line: start + 1,
      keyword: m[1].toUpperCase(),
      args: m[2].trim(),
    });
  }
  return out;
}

function words(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args);
  return args.split(/\s+/);
}

/**
 * Rules for the final stage: a non-root USER, a HEALTHCHECK on Backstage's readiness endpoint,
 * and a CMD (or ENTRYPOINT) that starts packages/backend with app-config.production.yaml.
 */
export function dockerfileProblems(
  text: string,
  file = 'Dockerfile',
): string[] {
  const all = parseDockerfile(text);
  const lastFrom = all.map(x => x.keyword).lastIndexOf('FROM');
  if (lastFrom < 0) return [`${file}: no FROM`];
  const stage = all.slice(lastFrom);
  const problems: string[] = [];
  const user = stage.filter(x => x.keyword === 'USER').pop();
  const name = user?.args.split(':')[0];
  if (!user || name === 'root' || name === '0') {
    problems.push(
      `${file}: the final stage (line ${all[lastFrom].line}) does not switch to a non-root USER`,
    );
  }
  const health = stage.filter(x => x.keyword === 'HEALTHCHECK').pop();
  if (!health || !health.args.includes('/.backstage/health/v1/readiness')) {
    problems.push(
      `${file}: the final stage has no HEALTHCHECK on /.backstage/health/v1/readiness`,
    );
  }
  const start = [
    ...stage.filter(x => x.keyword === 'ENTRYPOINT').slice(-1),
    ...stage.filter(x => x.keyword === 'CMD').slice(-1),
  ].flatMap(x => words(x.args));
  if (
    !start.includes('packages/backend') ||
    !start.includes('app-config.production.yaml')
  ) {
    problems.push(
      `${file}: the final CMD does not start packages/backend with app-config.production.yaml (it runs: ${
        start.join(' ') || 'nothing'
      })`,
    );
  }
  return problems;
}
