import type { Entity } from '@backstage/catalog-model';
import type { OutputPort } from '@akili/plugin-akili-common';

/** The output ports of a DataProduct entity whose data is files (`kind: files` or an S3 location). */
export function filePortsOf(entity: Entity): OutputPort[] {
  const ports = (entity.spec as { outputPorts?: unknown } | undefined)
    ?.outputPorts;
  if (!Array.isArray(ports)) return [];
  return (ports as OutputPort[]).filter(
    port => port && (port.kind === 'files' || Boolean(port.location?.s3)),
  );
}

/** Whether the Files tab applies to the entity: a DataProduct with a files output port. */
export function hasFilePorts(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'dataproduct' &&
    filePortsOf(entity).length > 0
  );
}
