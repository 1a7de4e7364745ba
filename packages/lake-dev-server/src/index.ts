/**
 * An embedded S3-compatible server (s3rver) for `make dev` and the end-to-end run, seeded with
 * deterministic Parquet, CSV and JSON lines files for the example data products' `files` ports.
 *
 * @packageDocumentation
 */
export {
  describeLakeDevServer,
  LAKE_DEV_CREDENTIALS,
  lakeS3Client,
  startLakeDevServer,
} from './LakeDevServer';
export type { LakeDevServer, LakeDevServerOptions } from './LakeDevServer';
export { exampleProductsDir, readExampleFilesPorts } from './examplePorts';
export type { ExampleFilesPort, SeedFormat } from './examplePorts';
export {
  PARQUET_ROW_GROUP_ROWS,
  PARQUET_ROWS,
  SAMPLE_ROWS,
  SEED_LATEST_DAY,
  TEXT_ROWS,
  partitionColumn,
  planExampleFiles,
  planPortFiles,
  summarize,
  writeSeedFiles,
} from './seed';
export type { SeedFile, SeedSummary } from './seed';
