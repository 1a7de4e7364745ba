/*
 * ODPS v1 data products <-> Akili manifests.
 */

import { issueToProblem } from '../manifest/paths';
import { NAME_PATTERN, PORT_NAME_PATTERN } from '../manifest/schema';
import {
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductLifecycle,
  DataProductManifest,
  DataProductType,
  InputPort,
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

function lifecycleFromStatus(status: unknown): DataProductLifecycle {
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
  contracts?: ReadonlyMap<string, OdcsContract>,
): OdpsImport {
  const errors = new IssueList();
  if (!isRecord(doc)) {
    errors.add([], 'an ODPS product must be an object');
    return { errors: errors.problems() };
  }
  const product: Json = doc;
  const props = customProperties(product.customProperties);
  const prop = (name: string) => props.get(name);
  const propPath = (name: string) => [
    'customProperties',
    prop(name)!.index,
    'value',
  ];

  // Tenant.
  const tenant = asString(product.tenant);
  if (!tenant) {
    errors.add(
      ['tenant'],
      `missing required field 'tenant': Akili needs the tenant the product belongs to`,
      product.tenant === undefined ? 'parent' : 'value',
    );
  } else if (!NAME.test(tenant) || tenant.length > 63) {
    errors.add(
      ['tenant'],
      `tenant '${tenant}' is not a valid Akili tenant name (lowercase letters, digits and dashes)`,
    );
  }

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

  // Domain.
  const domain = asString(product.domain);
  if (!domain) {
    errors.add(
      ['domain'],
      `missing required field 'domain': Akili needs the business domain of the product`,
      product.domain === undefined ? 'parent' : 'value',
    );
  }

  // Owner.
  const team = isRecord(product.team) ? product.team : undefined;
  const ownerProp = asString(prop(P.owner)?.value);
  const teamName = asString(team?.name);
  const owner = ownerProp ?? (teamName ? slugify(teamName) : undefined);
  if (!owner) {
    errors.add(
      team ? ['team', 'name'] : ['team'],
      `Akili needs an owning group: set the custom property '${P.owner}' or the team name`,
      'parent',
    );
  }

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

  // Input ports.
  const inputPorts: InputPort[] = [];
  asArray(product.inputPorts).forEach((raw, i) => {
    if (!isRecord(raw)) {
      return;
    }
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
  });

  // Output ports, with what their contracts say.
  const rawOutputs = asArray(product.outputPorts);
  const outputPorts: OutputPort[] = [];
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
  rawOutputs.forEach((raw, i) => {
    if (!isRecord(raw)) {
      return;
    }
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

    let port: OutputPort;
    if (contract) {
      const imported = importOdcs(contract);
      for (const problem of imported.errors) {
        errors.add(
          ['outputPorts', i, 'contractId'],
          `contract '${contractId}' at ${problem.path}: ${problem.message}`,
        );
      }
      port = {
        ...imported.port,
        name: portName,
        description: asString(raw.description) ?? imported.port.description,
        kind: kind ?? imported.port.kind,
        location: isRecord(locationProp)
          ? (locationProp as OutputPort['location'])
          : imported.port.location,
        contract: {
          ...imported.port.contract,
          id: contractId,
          version: imported.port.contract?.version ?? String(raw.version),
        },
      };
      for (const rule of imported.quality) {
        let ruleName = rule.name;
        if (ruleNames.has(ruleName)) {
          ruleName = slugify(`${portName}-${rule.name}`, true);
        }
        ruleNames.add(ruleName);
        quality.push({ ...rule, name: ruleName, port: portName });
      }
      if (imported.slos.freshness && !slos.freshness) {
        slos.freshness = {
          ...imported.slos.freshness,
          port: rawOutputs.length > 1 ? portName : undefined,
        };
      }
      if (imported.slos.availability && !slos.availability) {
        slos.availability = imported.slos.availability;
      }
      contractSupport ??= imported.support;
      contractTeam ??= imported.team;
    } else if (isRecord(locationProp)) {
      port = compact({
        name: portName,
        description: asString(raw.description),
        kind: kind ?? 'table',
        location: locationProp as OutputPort['location'],
        schema: [],
        contract: contractId
          ? { id: contractId, version: String(raw.version) }
          : undefined,
      });
    } else {
      errors.add(
        contractId ? ['outputPorts', i, 'contractId'] : ['outputPorts', i],
        contractId
          ? `contract '${contractId}' of output port '${portName}' was not provided; add its ODCS file`
          : `output port '${portName}' needs a contractId (or a custom property '${P.location}')`,
      );
      return;
    }
    outputPorts.push(compact(port));
  });

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
    return { errors: errors.problems() };
  }

  const manifest: DataProductManifest = {
    apiVersion: DATA_PRODUCT_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: compact({
      name,
      namespace: tenant!,
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
      owner: owner!,
      domain: domain!,
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

  const mappedProblems = manifestIssues(manifest).map(issue => {
    const problem = issueToProblem(issue);
    return { ...problem, message: `mapped manifest: ${problem.message}` };
  });
  if (mappedProblems.length > 0) {
    return { errors: mappedProblems };
  }
  return { manifest, errors: [] };
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
