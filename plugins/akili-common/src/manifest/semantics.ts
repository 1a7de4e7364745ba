/*
 * Checks across fields, run on a manifest that already passed the JSON schema.
 */

import {
  describeTenantCodeLocations,
  isCodeLocationOfTenant,
} from '../codeLocations';
import { Issue, PathSegment, formatPath } from './paths';
import { parseInputProductRef } from './refs';
import { DataProductManifest, OutputPort, OutputPortKind } from './types';

const CRON_FIELDS: Array<{
  name: string;
  min: number;
  max: number;
  names?: string[];
}> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' '),
  },
  {
    name: 'day of week',
    min: 0,
    max: 7,
    names: 'sun mon tue wed thu fri sat'.split(' '),
  },
];

function cronValue(
  text: string,
  field: (typeof CRON_FIELDS)[number],
): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const index = field.names?.indexOf(text.toLocaleLowerCase('en-US')) ?? -1;
  if (index < 0) {
    return undefined;
  }
  return index + field.min;
}

/**
 * Checks a 5-field cron expression (minute hour day-of-month month day-of-week), with `*`,
 * lists, ranges, steps and month/day names.
 *
 * @returns a problem description, or undefined when the expression is valid.
 */
export function checkCron(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `cron expression '${expression}' must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  }
  for (let i = 0; i < 5; i++) {
    const field = CRON_FIELDS[i];
    for (const part of fields[i].split(',')) {
      const match = /^(\*|([^-/]+)(?:-([^-/]+))?)(?:\/(\d+))?$/.exec(part);
      const bad = `cron ${field.name} '${fields[i]}' is not valid (allowed ${field.min}-${field.max})`;
      if (!match) {
        return bad;
      }
      if (match[4] !== undefined && Number(match[4]) < 1) {
        return bad;
      }
      if (match[1] !== '*') {
        const low = cronValue(match[2], field);
        const high = match[3] === undefined ? low : cronValue(match[3], field);
        if (low === undefined || high === undefined || low > high) {
          return bad;
        }
      }
    }
  }
  return undefined;
}

const DURATION =
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:\.\d+)?S)?)?$/;

/**
 * Reads an ISO 8601 duration (`PT2H`, `P1D`, `PT30M`) as seconds; years count 365 days and
 * months 30 days.
 *
 * @returns the number of seconds, or undefined when the text is not a duration.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) {
    return undefined;
  }
  const n = (part: string | undefined) =>
    part ? parseFloat(part.slice(0, -1)) : 0;
  const days =
    n(match[1]) * 365 + n(match[2]) * 30 + n(match[3]) * 7 + n(match[4]);
  return days * 86400 + n(match[6]) * 3600 + n(match[7]) * 60 + n(match[8]);
}

const LOCATION_FOR_KIND: Partial<
  Record<OutputPortKind, keyof OutputPort['location']>
> = {
  table: 'table',
  view: 'table',
  topic: 'kafka',
  files: 's3',
};

function isValidTimeZone(zone: string): boolean {
  try {
    // Throws a RangeError for unknown zones.
    return !!new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
}

/** Names listed in a message: the first ten, then how many more. */
const LISTED_NAMES = 10;

function listNames(names: string[]): string {
  const listed = names.slice(0, LISTED_NAMES).join(', ');
  return names.length > LISTED_NAMES
    ? `${listed} and ${names.length - LISTED_NAMES} more`
    : listed;
}

/** Runs the cross-field checks on a schema-valid manifest. */
export function checkManifestSemantics(manifest: DataProductManifest): Issue[] {
  const issues: Issue[] = [];
  const report = (segments: PathSegment[], message: string, at?: Issue['at']) =>
    issues.push({ segments, message, at });

  const { metadata, spec } = manifest;
  const inputPorts = spec.inputPorts ?? [];
  const outputPorts = spec.outputPorts;

  // Port names: unique among inputs, among outputs, and across both.
  const inputNames = new Map<string, number>();
  inputPorts.forEach((port, i) => {
    const first = inputNames.get(port.name);
    if (first !== undefined) {
      report(
        ['spec', 'inputPorts', i, 'name'],
        `duplicate input port name '${port.name}' (first at ${formatPath([
          'spec',
          'inputPorts',
          first,
        ])})`,
      );
    } else {
      inputNames.set(port.name, i);
    }
  });
  const outputNames = new Map<string, number>();
  outputPorts.forEach((port, i) => {
    const first = outputNames.get(port.name);
    if (first !== undefined) {
      report(
        ['spec', 'outputPorts', i, 'name'],
        `duplicate output port name '${port.name}' (first at ${formatPath([
          'spec',
          'outputPorts',
          first,
        ])})`,
      );
      return;
    }
    outputNames.set(port.name, i);
    const input = inputNames.get(port.name);
    if (input !== undefined) {
      report(
        ['spec', 'outputPorts', i, 'name'],
        `output port name '${
          port.name
        }' is also the name of an input port (${formatPath([
          'spec',
          'inputPorts',
          input,
        ])})`,
      );
    }
  });

  // Input product references.
  inputPorts.forEach((port, i) => {
    if (port.product === undefined) {
      return;
    }
    const ref = parseInputProductRef(port.product, metadata.namespace);
    if (!ref) {
      report(
        ['spec', 'inputPorts', i, 'product'],
        `'${port.product}' is not a product reference: use 'dataproduct:<tenant>/<name>', '<tenant>/<name>' or '<name>'`,
      );
    } else if (
      ref.namespace === metadata.namespace &&
      ref.name === metadata.name
    ) {
      report(
        ['spec', 'inputPorts', i, 'product'],
        `input port '${port.name}' reads from its own product '${port.product}'`,
      );
    }
  });

  // The Dagster code location: one of the product's tenant (the runs plugin shows and launches
  // only runs of the tenant's locations, so another's would never run from the portal).
  const codeLocation = spec.transformation?.dagster?.codeLocation;
  if (
    codeLocation !== undefined &&
    !isCodeLocationOfTenant(codeLocation, metadata.namespace)
  ) {
    report(
      ['spec', 'transformation', 'dagster', 'codeLocation'],
      `code location '${codeLocation}' is not one of tenant '${
        metadata.namespace
      }': use ${describeTenantCodeLocations(metadata.namespace)}`,
    );
  }

  // Owner: a group.
  const ownerKind = /^([^:/]+):/.exec(spec.owner)?.[1];
  if (ownerKind && ownerKind.toLocaleLowerCase('en-US') !== 'group') {
    report(
      ['spec', 'owner'],
      `owner must be a group, not a ${ownerKind} ('${spec.owner}')`,
    );
  }

  // Output ports: location matches the kind, column names unique.
  outputPorts.forEach((port, i) => {
    const expected = LOCATION_FOR_KIND[port.kind];
    if (expected && !port.location[expected]) {
      report(
        ['spec', 'outputPorts', i, 'location'],
        `an output port of kind '${port.kind}' needs location.${expected}`,
      );
    }
    const columns = new Map<string, number>();
    port.schema.forEach((column, j) => {
      const key = column.name.toLocaleLowerCase('en-US');
      const first = columns.get(key);
      if (first !== undefined) {
        report(
          ['spec', 'outputPorts', i, 'schema', j, 'name'],
          `duplicate column '${column.name}' in output port '${
            port.name
          }' (first at ${formatPath([
            'spec',
            'outputPorts',
            i,
            'schema',
            first,
          ])})`,
        );
      } else {
        columns.set(key, j);
      }
    });
  });

  // Quality rules: ports by name (the first of a name) and each port's column names, looked
  // up per rule rather than searched, so many rules on many ports or columns stay cheap.
  const portsByName = new Map<string, OutputPort>();
  for (const port of outputPorts) {
    if (!portsByName.has(port.name)) {
      portsByName.set(port.name, port);
    }
  }
  const columnNames = new Map<OutputPort, Set<string>>();
  const hasColumn = (port: OutputPort, column: string) => {
    let names = columnNames.get(port);
    if (!names) {
      names = new Set(port.schema.map(c => c.name.toLocaleLowerCase('en-US')));
      columnNames.set(port, names);
    }
    return names.has(column.toLocaleLowerCase('en-US'));
  };
  const ruleNames = new Map<string, number>();
  (spec.quality ?? []).forEach((rule, i) => {
    const at = (...rest: PathSegment[]) => ['spec', 'quality', i, ...rest];
    const first = ruleNames.get(rule.name);
    if (first !== undefined) {
      report(
        at('name'),
        `duplicate quality rule name '${rule.name}' (first at ${formatPath([
          'spec',
          'quality',
          first,
        ])})`,
      );
    } else {
      ruleNames.set(rule.name, i);
    }

    let port: OutputPort | undefined;
    if (rule.port !== undefined) {
      port = portsByName.get(rule.port);
      if (!port) {
        report(
          at('port'),
          `quality rule '${rule.name}' checks port '${
            rule.port
          }', which is not an output port (output ports: ${listNames(
            outputPorts.map(p => p.name),
          )})`,
        );
      }
    } else if (outputPorts.length > 1) {
      report(
        at('port'),
        `quality rule '${rule.name}' must name its port: the product has ${outputPorts.length} output ports`,
        'parent',
      );
    } else {
      port = outputPorts[0];
    }
    if (port && rule.column !== undefined && !hasColumn(port, rule.column)) {
      report(
        at('column'),
        `quality rule '${rule.name}' checks column '${rule.column}', which is not in the schema of output port '${port.name}'`,
      );
    }

    if (rule.engine !== undefined) {
      // Checked elsewhere: Akili neither runs nor reads the rule, only shows it.
      return;
    }
    if (rule.operator === undefined || rule.threshold === undefined) {
      report(
        at(rule.operator === undefined ? 'operator' : 'threshold'),
        `quality rule '${rule.name}' needs an operator and a threshold (or an engine that checks it elsewhere)`,
        'parent',
      );
      return;
    }
    if (rule.operator === 'between') {
      const t = rule.threshold;
      if (!Array.isArray(t) || t.length !== 2) {
        report(
          at('threshold'),
          `operator 'between' needs a threshold [low, high]`,
        );
      } else if (t[0] > t[1]) {
        report(
          at('threshold'),
          `threshold [${t[0]}, ${t[1]}] must have low <= high`,
        );
      }
    } else if (typeof rule.threshold !== 'number') {
      report(
        at('threshold'),
        `operator '${rule.operator}' needs a number as threshold`,
      );
    }

    if (rule.type === 'custom') {
      if (rule.query === undefined) {
        report(
          at('query'),
          `custom quality rule '${rule.name}' needs a query`,
          'parent',
        );
      }
      if (rule.metric !== undefined) {
        report(
          at('metric'),
          `custom quality rule '${rule.name}' uses query, not metric`,
        );
      }
    } else {
      if (rule.metric === undefined) {
        report(
          at('metric'),
          `quality rule '${rule.name}' of type '${rule.type}' needs a metric`,
          'parent',
        );
      }
      if (rule.query !== undefined) {
        report(
          at('query'),
          `only custom quality rules have a query; '${rule.name}' is of type '${rule.type}'`,
        );
      }
    }
  });

  // Schedule.
  if (spec.schedule) {
    const problem = checkCron(spec.schedule.cron);
    if (problem) {
      report(['spec', 'schedule', 'cron'], problem);
    }
    if (
      spec.schedule.timezone !== undefined &&
      !isValidTimeZone(spec.schedule.timezone)
    ) {
      report(
        ['spec', 'schedule', 'timezone'],
        `'${spec.schedule.timezone}' is not an IANA time zone`,
      );
    }
  }

  // SLOs.
  const freshness = spec.slos?.freshness;
  if (freshness) {
    const seconds = parseIsoDuration(freshness.maxDelay);
    if (seconds === undefined || seconds <= 0) {
      report(
        ['spec', 'slos', 'freshness', 'maxDelay'],
        `'${freshness.maxDelay}' is not a positive ISO 8601 duration such as PT2H or P1D`,
      );
    }
    if (
      freshness.port !== undefined &&
      !outputPorts.some(p => p.name === freshness.port)
    ) {
      report(
        ['spec', 'slos', 'freshness', 'port'],
        `freshness objective names port '${freshness.port}', which is not an output port`,
      );
    }
  }
  const availability = spec.slos?.availability;
  if (
    availability &&
    !(availability.target > 0 && availability.target <= 100)
  ) {
    report(
      ['spec', 'slos', 'availability', 'target'],
      `availability target ${availability.target} must be in (0, 100]`,
    );
  }

  return issues;
}
