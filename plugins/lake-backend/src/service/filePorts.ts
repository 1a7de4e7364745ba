import { Entity } from '@backstage/catalog-model';
import { DataProductManifest, OutputPort } from '@akili/plugin-akili-common';

/** A `files` output port as the manifest declares it. */
export interface ManifestFilePort {
  port: OutputPort;
  location: { bucket: string; prefix: string; format?: string };
}

/** The product's output ports whose data are files under an S3 location. */
export function filePortsOf(entity: Entity): ManifestFilePort[] {
  const { spec } = entity as unknown as DataProductManifest;
  const ports: ManifestFilePort[] = [];
  for (const port of spec?.outputPorts ?? []) {
    const s3 = port?.location?.s3;
    if (
      port.kind !== 'files' ||
      typeof s3?.bucket !== 'string' ||
      typeof s3.prefix !== 'string'
    ) {
      continue;
    }
    ports.push({
      port,
      location: {
        bucket: s3.bucket,
        prefix: s3.prefix,
        ...(typeof s3.format === 'string' ? { format: s3.format } : {}),
      },
    });
  }
  return ports;
}
