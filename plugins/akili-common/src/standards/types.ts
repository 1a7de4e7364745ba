import type {
  DataProductManifest,
  ManifestProblem,
  OutputPort,
  QualityRule,
  ServiceLevelObjectives,
  Support,
  TeamMember,
} from '../manifest/types';

/**
 * An ODCS v3 data contract (Bitol Open Data Contract Standard), as parsed from YAML or JSON.
 * Loosely typed: the official JSON schema is what validates it.
 */
export type OdcsContract = Record<string, unknown>;

/**
 * An ODPS v1 data product (Bitol Open Data Product Standard), as parsed from YAML or JSON.
 * Loosely typed: the official JSON schema is what validates it.
 */
export type OdpsProduct = Record<string, unknown>;

/** What an ODCS contract maps to: output ports (one per schema object), rules and objectives. */
export interface OdcsImport {
  /** One output port per schema object; one port without columns when there is none. */
  ports: OutputPort[];
  /** Quality rules of the ports; `port` is set to each rule's port name. */
  quality: QualityRule[];
  slos: ServiceLevelObjectives;
  /** From the contract's `support` channels, when it has any. */
  support?: Support;
  /** From the contract's `team` members, when it has any. */
  team?: TeamMember[];
  /** Owning group, from the custom property `akiliOwner` or the team name. */
  owner?: string;
  /** What stops the contract from being ingested; paths are paths in the contract. */
  errors: ManifestProblem[];
  /** What Akili cannot use or chose for it; paths are paths in the contract. */
  warnings: ManifestProblem[];
}

/** What an ODPS product maps to. */
export interface OdpsImport {
  /** The Akili manifest, when the product mapped without errors. */
  manifest?: DataProductManifest;
  /** What stops the product from being ingested; paths are paths in the ODPS product. */
  errors: ManifestProblem[];
  /** What Akili cannot use or chose for it; paths are paths in the ODPS product. */
  warnings: ManifestProblem[];
}

/** The `apiVersion` written by `exportOdps`. */
export const ODPS_API_VERSION = 'v1.0.0';
/** The `apiVersion` written by `exportOdcs`. */
export const ODCS_API_VERSION = 'v3.1.0';
