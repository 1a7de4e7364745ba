/*
 * ODPS v1 data products <-> Akili manifests.
 */

import { issueToProblem } from '../manifest/paths';
import { NAME_PATTERN, PORT_NAME_PATTERN } from '../manifest/patterns';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductLifecycle,
  DataProductManifest,
  DataProductType,
  InputPort,
  ManifestProblem,
  OutputPort,
  QualityRule,
  ServiceLevelObjectives,
  Support,
} from '../manifest/types';
import { manifestIssues } from '../manifest/validate';
import { importOdcs, mapPortKind, outputPortContractId } from './odcs';
import {
  ODPS_API_VERSION,
  OdcsContract,
  OdpsImport,
  OdpsProduct,
} from './types';
import {
  AKILI_PROPERTIES as P,
  ANNOTATION_ODPS_ID,
  IssueList,
  Json,
  asArray,
  asString,
  compact,
  customProperties,
  isRecord,
  mapTeamMembers,
  DEFAULT_IMPORT_DOMAIN,
  resolveDomain,
  resolveOwner,
  resolveTenant,
  slugify,
  toCustomProperties,
} from './util';

const NAME = new RegExp(NAME_PATTERN);
const PORT_NAME = new RegExp(PORT_NAME_PATTERN);
const TYPES: DataProductType[] = [
  'source-aligned',
  'aggregate',
  'consumer-aligned',
];
const LIFECYCLES: DataProductLifecycle[] = [
  'experimental',
  'production',
  'deprecated',
];

/** The default product type of imported ODPS products. */
export const DEFAULT_ODPS_PRODUCT_TYPE: DataProductType = 'source-aligned';

export function lifecycleFromStatus(status: unknown): DataProductLifecycle {
  switch (typeof status === 'string' ? status.toLowerCase() : '') {
    case 'active':
      return 'production';
    case 'deprecated':
    case 'retired':
      return 'deprecated';
    default:
      return 'experimental';
  }
}

const STATUS_FROM_LIFECYCLE: Record<DataProductLifecycle, string> = {
  experimental: 'draft',
  production: 'active',
  deprecated: 'deprecated',
};

/** The domain of an imported product that names none. */
export const DEFAULT_ODPS_DOMAIN = DEFAULT_IMPORT_DOMAIN;

/** Options of {@link importOdps}. */
export interface ImportOdpsOptions {
  /** ODCS contracts by contract id, for the output ports. */
  contracts?: ReadonlyMap<string, OdcsContract>;
  /**
   * The tenant of the product's source (its folder, GitLab subgroup or registry entry). It wins
   * over the ODPS `tenant`, which is then only a warning when it differs.
   */
  tenant?: string;
  /**
   * An output port whose contract is not in `contracts`: an `error` (default: the contracts of
   * the product's place are all known), or a `warning` (a file validated alone; the port then
   * has no columns).
   */
  unresolvedContracts?: 'error' | 'warning';
}

/** Compares `1.2.10` > `1.2.9`; non-numeric parts compare as text. */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/i, '').split(/[.-]/);
  const pb = b.replace(/^v/i, '').split(/[.-]/);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const x = pa[k] ?? '';
    const y = pb[k] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const diff =
      x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)
        ? nx - ny
        : x.localeCompare(y);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

/**
 * Ports of an ODPS list, one per name: ODPS lists each version of a port, Akili serves one, the
 * highest. The others are warned about.
 */
function latestVersions(
  list: unknown[],
  at: Array<string | number>,
  warnings: IssueList,
): Array<{ raw: Json; index: number }> {
  const latest = new Map<string, { raw: Json; index: number }>();
  const order: string[] = [];
  list.forEach((raw, index) => {
    if (!isRecord(raw)) {
      return;
    }
    const key = slugify(asString(raw.name) ?? '', true) || `#${index}`;
    const seen = latest.get(key);
    if (!seen) {
      latest.set(key, { raw, index });
      order.push(key);
      return;
    }
    const newer =
      compareVersions(
        String(raw.version ?? ''),
        String(seen.raw.version ?? ''),
      ) > 0;
    const [kept, dropped] = newer
      ? [{ raw, index }, seen]
      : [seen, { raw, index }];
    latest.set(key, kept);
    warnings.add(
      [...at, dropped.index, 'version'],
      `port '${String(raw.name)}' is listed in versions ${String(
        dropped.raw.version,
      )} and ${String(
        kept.raw.version,
      )}: Akili serves one version of a port, ${String(kept.raw.version)}`,
    );
  });
  return order.map(key => latest.get(key)!);
}

const CHAT_TOOLS = ['slack', 'teams', 'discord', 'googlechat', 'mattermost'];

/**
 * Maps an ODPS v1 product (and the ODCS contracts of its output ports, by contract id) onto an
 * Akili manifest. The product should have passed the official schema first (`validateOdps`).
 * ODPS lacks some of what Akili needs; the mapping is:
 *
 * - tenant (`metadata.namespace`): ODPS `tenant`, required, a valid Akili name;
 * - name: custom property `akiliName`, else ODPS `name` (or `id`) made a valid name; the ODPS
 *   `name` is also the title and the `id` is kept in the annotation `akili.io/odps-id`;
 * - domain: ODPS `domain`, required;
 * - owner: custom property `akiliOwner`, else the team name (made a valid name); required;
 * - type: custom property `akiliType`, else `source-aligned`;
 * - lifecycle: custom property `akiliLifecycle`, else from `status` (active -> production,
 *   deprecated/retired -> deprecated, anything else -> experimental);
 * - input ports: custom properties `akiliProduct` + `akiliPort` (another product's port) or
 *   `akiliExternal` ({system, location}); else an external source `odcs` located at the
 *   input's `contractId`;
 * - output ports: the port's contract (`contractId` looked up in `contracts`) gives the
 *   schema, location, quality rules and SLOs (see `importOdcs`); `type` or custom property
 *   `akiliKind` the kind; custom property `akiliLocation` overrides the location. A port whose
 *   contract is not given is an error unless it has `akiliLocation` (it then has no columns);
 * - transformation, schedule, support: custom properties `akiliTransformation`,
 *   `akiliSchedule`, `akiliSupport`; else support from ODPS `support` channels;
 * - team: `team.members` (roles containing owner / steward / consumer / contact map to those
 *   roles, others to developer).
 *
 * Problems are reported with their path in the ODPS document. A mapped manifest that fails
 * Akili validation is reported too (paths in the Akili manifest, prefixed `mapped manifest`).
 */
export function importOdps(
  doc: OdpsProduct,
  options: ImportOdpsOptions = {},
): OdpsImport {
  const { contracts } = options;
  const errors = new IssueList();
  const warnings = new IssueList();
  if (!isRecord(doc)) {
    errors.add([], 'an ODPS product must be an object');
    return { errors: errors.problems(), warnings: [] };
  }
  const product: Json = doc;
  const props = customProperties(product.customProperties);
  const prop = (name: string) => props.get(name);
  const propPath = (name: string) => [
    'customProperties',
    prop(name)!.index,
    'value',
  ];

  // Tenant: the source's (path, registry entry) wins over what the document claims.
  const tenant = resolveTenant(product.tenant, options.tenant, warnings);

  // Name.
  let name: string;
  const nameProp = prop(P.name);
  if (nameProp) {
    name = String(nameProp.value);
    if (!NAME.test(name) || name.length > 63) {
      errors.add(
        propPath(P.name),
        `'${name}' is not a valid product name (lowercase letters, digits and dashes)`,
      );
    }
  } else {
    name = slugify(asString(product.name) ?? asString(product.id) ?? '');
    if (!name) {
      errors.add(
        ['name'],
        'the product needs a name (or a custom property akiliName)',
        'parent',
      );
    }
  }

  const domain = resolveDomain(product.domain, warnings);
  const team = isRecord(product.team) ? product.team : undefined;
  const owner = resolveOwner(prop(P.owner)?.value, team, tenant, warnings);

  // Type and lifecycle.
  let type = DEFAULT_ODPS_PRODUCT_TYPE;
  if (prop(P.type)) {
    const value = prop(P.type)!.value as DataProductType;
    if (TYPES.includes(value)) {
      type = value;
    } else {
      errors.add(
        propPath(P.type),
        `'${String(value)}' is not a product type (${TYPES.join(', ')})`,
      );
    }
  }
  let lifecycle = lifecycleFromStatus(product.status);
  if (prop(P.lifecycle)) {
    const value = prop(P.lifecycle)!.value as DataProductLifecycle;
    if (LIFECYCLES.includes(value)) {
      lifecycle = value;
    } else {
      errors.add(
        propPath(P.lifecycle),
        `'${String(value)}' is not a lifecycle (${LIFECYCLES.join(', ')})`,
      );
    }
  }

  // Input ports: Akili reads one version of each; ODPS may list several under one name.
  const inputPorts: InputPort[] = [];
  latestVersions(asArray(product.inputPorts), ['inputPorts'], warnings).forEach(
    ({ raw, index: i }) => {
      const portProps = customProperties(raw.customProperties);
      const portName = slugify(asString(raw.name) ?? '', true);
      if (!PORT_NAME.test(portName)) {
        errors.add(['inputPorts', i, 'name'], 'the input port needs a name');
        return;
      }
      const description = asString(portProps.get(P.description)?.value);
      const upstream = asString(portProps.get(P.product)?.value);
      const upstreamPort = asString(portProps.get(P.port)?.value);
      const external = portProps.get(P.external)?.value;
      if (upstream && upstreamPort) {
        inputPorts.push(
          compact({
            name: portName,
            description,
            product: upstream,
            port: upstreamPort,
          }),
        );
      } else if (isRecord(external)) {
        inputPorts.push(
          compact({
            name: portName,
            description,
            external: compact({
              system: String(external.system ?? ''),
              location: String(external.location ?? ''),
              description: asString(external.description),
            }),
          }),
        );
      } else {
        inputPorts.push({
          name: portName,
          external: {
            system: 'odcs',
            location: String(raw.contractId),
            description: `ODCS contract ${raw.contractId} version ${raw.version}`,
          },
        });
      }
    },
  );

  // Output ports, with what their contracts say.
  const rawOutputs = asArray(product.outputPorts);
  const outputPorts: OutputPort[] = [];
  const portNames = new Set<string>();
  const quality: QualityRule[] = [];
  const ruleNames = new Set<string>();
  const slos: ServiceLevelObjectives = {};
  let contractSupport: Support | undefined;
  let contractTeam: DataProductManifest['spec']['team'];
  if (rawOutputs.length === 0) {
    errors.add(
      ['outputPorts'],
      'Akili needs at least one output port',
      product.outputPorts === undefined ? 'parent' : 'value',
    );
  }
  const addPort = (port: OutputPort) => {
    let unique = port.name;
    for (let n = 2; portNames.has(unique); n++) {
      unique = `${port.name.slice(0, 60)}_${n}`;
    }
    portNames.add(unique);
    outputPorts.push(compact({ ...port, name: unique }));
    return unique;
  };
  latestVersions(rawOutputs, ['outputPorts'], warnings).forEach(
    ({ raw, index: i }) => {
      const portProps = customProperties(raw.customProperties);
      const portName = slugify(asString(raw.name) ?? '', true);
      if (!PORT_NAME.test(portName)) {
        errors.add(['outputPorts', i, 'name'], 'the output port needs a name');
        return;
      }
      const contractId = asString(raw.contractId);
      const contract = contractId ? contracts?.get(contractId) : undefined;
      const locationProp = portProps.get(P.location)?.value;
      const kindProp = portProps.get(P.kind)?.value;
      const kind = mapPortKind(kindProp) ?? mapPortKind(raw.type);
      const location = isRecord(locationProp)
        ? (locationProp as OutputPort['location'])
        : undefined;

      if (!contract) {
        if (contractId && !location) {
          const problem = `contract '${contractId}' of output port '${portName}' was not provided`;
          if (options.unresolvedContracts === 'warning') {
            warnings.add(
              ['outputPorts', i, 'contractId'],
              `${problem}: the port has no columns here; the contract is looked up in the registry of the tenant on submission`,
            );
          } else {
            errors.add(
              ['outputPorts', i, 'contractId'],
              `${problem}; add its ODCS file (or submit it to the registry first)`,
            );
            return;
          }
        } else if (!location) {
          errors.add(
            ['outputPorts', i],
            `output port '${portName}' needs a contractId (or a custom property '${P.location}')`,
          );
          return;
        }
        addPort({
          name: portName,
          description: asString(raw.description),
          kind: kind ?? 'table',
          location: location ?? {
            table: { database: name.replace(/-/g, '_'), table: portName },
          },
          schema: [],
          ...(contractId
            ? {
                contract: {
                  id: contractId,
                  version: String(raw.version ?? '1.0.0'),
                },
              }
            : {}),
        });
        return;
      }

      // A contract with several schema objects gives a port per object, named after both.
      const imported = importOdcs(contract, { portName });
      const many = imported.ports.length > 1;
      const where = ['outputPorts', i, 'contractId'];
      for (const problem of [...imported.errors, ...imported.warnings]) {
        (imported.errors.includes(problem) ? errors : warnings).add(
          where,
          `contract '${contractId}' at ${problem.path}: ${problem.message}`,
        );
      }
      const renamed = new Map<string, string>();
      for (const importedPort of imported.ports) {
        const finalName = addPort({
          ...importedPort,
          name: many
            ? slugify(`${portName}_${importedPort.name}`, true)
            : portName,
          description: many
            ? importedPort.description ?? asString(raw.description)
            : asString(raw.description) ?? importedPort.description,
          kind: kind ?? importedPort.kind,
          location: !many && location ? location : importedPort.location,
          contract: {
            ...importedPort.contract,
            id: contractId,
            version: importedPort.contract?.version ?? String(raw.version),
          },
        });
        renamed.set(importedPort.name, finalName);
      }
      for (const rule of imported.quality) {
        let ruleName = rule.name;
        if (ruleNames.has(ruleName)) {
          ruleName = slugify(`${portName}-${rule.name}`, true);
        }
        ruleNames.add(ruleName);
        quality.push({
          ...rule,
          name: ruleName,
          port: renamed.get(rule.port ?? '') ?? portName,
        });
      }
      if (imported.slos.freshness && !slos.freshness) {
        slos.freshness = {
          ...imported.slos.freshness,
          port:
            rawOutputs.length > 1 || many
              ? [...renamed.values()][0]
              : undefined,
        };
      }
      if (imported.slos.availability && !slos.availability) {
        slos.availability = imported.slos.availability;
      }
      contractSupport ??= imported.support;
      contractTeam ??= imported.team;
    },
  );

  // Support.
  let support: Support | undefined;
  const supportProp = prop(P.support)?.value;
  if (isRecord(supportProp)) {
    support = supportProp as Support;
  } else {
    const mapped: Support = {};
    for (const item of asArray(product.support).filter(isRecord)) {
      const tool = asString(item.tool)?.toLowerCase() ?? '';
      const url = asString(item.url);
      if (url?.startsWith('mailto:')) {
        mapped.email ??= url.slice('mailto:'.length);
      } else if (CHAT_TOOLS.includes(tool)) {
        mapped.channel ??= asString(item.channel);
      } else if (url) {
        mapped.url ??= url;
      }
    }
    support = Object.keys(mapped).length ? compact(mapped) : contractSupport;
  }

  const links = asArray(product.authoritativeDefinitions)
    .filter(isRecord)
    .filter(d => asString(d.url))
    .map(d => compact({ url: d.url as string, title: asString(d.type) }));
  const description = isRecord(product.description)
    ? asString(product.description.purpose)
    : undefined;

  if (errors.issues.length > 0) {
    return { errors: errors.problems(), warnings: warnings.problems() };
  }

  const manifest: DataProductManifest = {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: compact({
      name,
      namespace: tenant,
      title: asString(product.name),
      description,
      tags: Array.isArray(product.tags) ? product.tags.map(String) : undefined,
      links: links.length ? links : undefined,
      annotations: asString(product.id)
        ? { [ANNOTATION_ODPS_ID]: product.id as string }
        : undefined,
    }),
    spec: compact({
      type,
      lifecycle,
      owner,
      domain,
      version: asString(product.version),
      inputPorts: inputPorts.length ? inputPorts : undefined,
      outputPorts,
      transformation: prop(P.transformation)?.value as any,
      schedule: prop(P.schedule)?.value as any,
      quality: quality.length ? quality : undefined,
      slos: Object.keys(slos).length ? compact(slos) : undefined,
      support,
      team: mapTeamMembers(team) ?? contractTeam,
    }),
  };

  return checkMapped(manifest, warnings.problems());
}

/** The import's answer: the mapped manifest unless Akili's own validation refuses it. */
export function checkMapped(
  manifest: DataProductManifest,
  warnings: ManifestProblem[],
): OdpsImport {
  const mappedProblems = manifestIssues(manifest).map(issue => {
    const problem = issueToProblem(issue);
    return { ...problem, message: `mapped manifest: ${problem.message}` };
  });
  if (mappedProblems.length > 0) {
    return { errors: mappedProblems, warnings };
  }
  return { manifest, errors: [], warnings };
}

/**
 * Exports a product as an ODPS v1.0.0 data product. Each output port refers to its ODCS
 * contract (`exportOdcs`) by contract id; what ODPS cannot say is kept in custom properties
 * (`akiliName`, `akiliOwner`, `akiliType`, `akiliLifecycle`, `akiliTransformation`,
 * `akiliSchedule`, `akiliSupport`, per port `akiliProduct`/`akiliPort`/`akiliExternal`,
 * `akiliKind`, `akiliLocation`), so {@link importOdps} reads it back without loss.
 */
export function exportOdps(manifest: DataProductManifest): OdpsProduct {
  const { metadata, spec } = manifest;

  const support: Json[] = [];
  if (spec.support?.email) {
    support.push({
      channel: 'email',
      tool: 'email',
      url: `mailto:${spec.support.email}`,
    });
  }
  if (spec.support?.url) {
    support.push({
      channel: spec.support.channel ?? 'web',
      tool: 'other',
      url: spec.support.url,
    });
  }

  return compact({
    apiVersion: ODPS_API_VERSION,
    kind: 'DataProduct',
    id:
      metadata.annotations?.[ANNOTATION_ODPS_ID] ??
      `${metadata.namespace}.${metadata.name}`,
    name: metadata.title ?? metadata.name,
    version: spec.version,
    status: STATUS_FROM_LIFECYCLE[spec.lifecycle],
    domain: spec.domain,
    tenant: metadata.namespace,
    description: metadata.description
      ? { purpose: metadata.description }
      : undefined,
    tags: metadata.tags,
    authoritativeDefinitions: metadata.links?.length
      ? metadata.links.map(link => ({
          type: link.title ?? 'link',
          url: link.url,
        }))
      : undefined,
    customProperties: toCustomProperties({
      [P.name]: metadata.name,
      [P.owner]: spec.owner,
      [P.type]: spec.type,
      [P.lifecycle]: spec.lifecycle,
      [P.transformation]: spec.transformation,
      [P.schedule]: spec.schedule,
      [P.support]: spec.support,
    }),
    inputPorts: spec.inputPorts?.length
      ? spec.inputPorts.map(port =>
          compact({
            name: port.name,
            version: 'latest',
            contractId: port.product
              ? `${port.product
                  .replace(/^dataproduct:/i, '')
                  .replace('/', '.')}.${port.port}`
              : `external:${port.external!.system}:${port.external!.location}`,
            customProperties: toCustomProperties(
              port.product
                ? {
                    [P.product]: port.product,
                    [P.port]: port.port,
                    [P.description]: port.description,
                  }
                : {
                    [P.external]: port.external,
                    [P.description]: port.description,
                  },
            ),
          }),
        )
      : undefined,
    outputPorts: spec.outputPorts.map(port =>
      compact({
        name: port.name,
        description: port.description,
        type: port.kind,
        version: port.contract?.version ?? spec.version ?? '1.0.0',
        contractId: outputPortContractId(manifest, port),
        customProperties: toCustomProperties({
          [P.kind]: port.kind,
          [P.location]: port.location,
        }),
      }),
    ),
    support: support.length ? support : undefined,
    team: compact({
      name: spec.owner,
      members: spec.team?.length
        ? spec.team.map(m => ({ username: m.user, role: m.role }))
        : undefined,
    }),
  });
}
