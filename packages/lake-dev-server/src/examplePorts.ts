import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DataProductColumn,
  DataProductManifest,
} from '@akili/plugin-akili-common';

/** A `files` output port of an example product, with S3 location, as the seed writes it. */
export interface ExampleFilesPort {
  /** The product's tenant: its folder under `examples/data-products` (the catalog namespace). */
  tenant: string;
  product: string;
  port: string;
  bucket: string;
  /** Key prefix, ending in `/`. */
  prefix: string;
  /** `parquet`, `csv` or `jsonl` (`json` is read as JSON lines). */
  format: SeedFormat;
  schema: DataProductColumn[];
  /**
   * Columns of the product's other ports by port name: an `object` column named like another
   * port holds that port's columns (e.g. churn-features' `features`).
   */
  otherPorts: Record<string, DataProductColumn[]>;
  /** The manifest file, for error messages. */
  file: string;
}

/** File formats the seed writes. */
export type SeedFormat = 'parquet' | 'csv' | 'jsonl';

const FORMATS: Record<string, SeedFormat> = {
  parquet: 'parquet',
  csv: 'csv',
  json: 'jsonl',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** This package's folder (packages/lake-dev-server in the repository). */
export function packageDir(): string {
  return path.dirname(require.resolve('@akili/lake-dev-server/package.json'));
}

/** The repository's `examples/data-products` folder. */
export function exampleProductsDir(): string {
  return path.resolve(packageDir(), '../../examples/data-products');
}

/**
 * The `files` output ports with an S3 location of the products in a folder laid out as
 * `<tenant>/<product>/dataproduct.yaml`, sorted by tenant, product and port. A port whose bucket
 * is not its tenant's, or whose format the seed cannot write, is an error naming the file and
 * the port: the seed never writes one tenant's data into another's bucket.
 */
export function readExampleFilesPorts(
  dir: string = exampleProductsDir(),
): ExampleFilesPort[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`No example products folder at ${dir}`);
  }
  const ports: ExampleFilesPort[] = [];
  for (const tenant of sortedDirs(dir)) {
    for (const product of sortedDirs(path.join(dir, tenant))) {
      const file = path.join(dir, tenant, product, 'dataproduct.yaml');
      if (!fs.existsSync(file)) continue;
      ports.push(...filesPortsOf(file, tenant));
    }
  }
  return ports;
}

function sortedDirs(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort();
}

function filesPortsOf(file: string, tenant: string): ExampleFilesPort[] {
  let manifest: DataProductManifest;
  try {
    manifest = parse(fs.readFileSync(file, 'utf8')) as DataProductManifest;
  } catch (error) {
    throw new Error(`${file}: not valid YAML: ${(error as Error).message}`);
  }
  const outputPorts = manifest?.spec?.outputPorts;
  if (!manifest?.metadata?.name || !Array.isArray(outputPorts)) {
    throw new Error(
      `${file}: not a data product (no metadata.name or spec.outputPorts)`,
    );
  }
  const otherPorts = Object.fromEntries(
    outputPorts.map(port => [port.name, port.schema ?? []]),
  );
  return outputPorts
    .filter(port => port.kind === 'files' && port.location?.s3)
    .map(port => {
      const where = `${file}: output port ${port.name}`;
      const s3 = port.location.s3!;
      if (!s3.bucket.split(/[-.]/).includes(tenant)) {
        throw new Error(
          `${where}: bucket "${s3.bucket}" is not tenant ${tenant}'s own bucket`,
        );
      }
      const format = FORMATS[(s3.format ?? '').toLowerCase()];
      if (!format) {
        throw new Error(
          `${where}: format "${
            s3.format ?? ''
          }" cannot be seeded (parquet, csv or jsonl)`,
        );
      }
      if (!Array.isArray(port.schema) || port.schema.length === 0) {
        throw new Error(`${where}: has no schema to seed files from`);
      }
      const prefix = s3.prefix.replace(/^\/+/, '');
      return {
        tenant,
        product: manifest.metadata.name,
        port: port.name,
        bucket: s3.bucket,
        prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
        format,
        schema: port.schema,
        otherPorts,
        file,
      };
    });
}
