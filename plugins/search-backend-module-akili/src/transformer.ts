import { Entity } from '@backstage/catalog-model';
import {
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';
import {
  DataProductManifest,
  isDataProductEntity,
} from '@akili/plugin-akili-common';

/**
 * Indexes a DataProduct with what people search it by: its description, tags, tenant,
 * domain, ports and every column (name, description, classification). Other kinds get the
 * catalog's default document.
 */
export const dataProductEntityTransformer: CatalogCollatorEntityTransformer = (
  entity: Entity,
) => {
  const base = defaultCatalogCollatorEntityTransformer(entity);
  if (!isDataProductEntity(entity)) {
    return base;
  }
  const product = entity as unknown as DataProductManifest;
  const lines: string[] = [base.text];
  lines.push(
    `Tenant ${product.metadata.namespace}. Domain ${product.spec.domain}. Type ${product.spec.type}.`,
  );
  if (product.metadata.tags?.length) {
    lines.push(`Tags: ${product.metadata.tags.join(', ')}.`);
  }
  for (const port of product.spec.outputPorts ?? []) {
    lines.push(
      `Output port ${port.name} (${port.kind})${
        port.description ? `: ${port.description}` : ''
      }.`,
    );
    for (const column of port.schema ?? []) {
      const parts = [column.name, column.type];
      if (column.classification) parts.push(column.classification);
      lines.push(
        `Column ${parts.join(' ')}${
          column.description ? `: ${column.description}` : ''
        }.`,
      );
    }
  }
  for (const port of product.spec.inputPorts ?? []) {
    lines.push(
      `Input ${port.name} from ${
        port.product ?? port.external?.system ?? 'unknown'
      }.`,
    );
  }
  return {
    ...base,
    text: lines.filter(Boolean).join('\n'),
    type: product.spec.type,
  };
};
