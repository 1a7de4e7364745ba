import { useMemo } from 'react';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { Box, Typography } from '@material-ui/core';
import type { DataProductSpec } from '@akili/plugin-akili-common';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { starterQuery } from '../../lib/sql';
import { QueryWorkbench, StarterQuery } from '../QueryWorkbench';

/**
 * The starter queries of a data product: one per output port with a table, named as the guard
 * resolves it (`catalog.database.table`, or `database.table` in the default catalog).
 */
export function starterQueries(spec: Partial<DataProductSpec>): StarterQuery[] {
  const ports = Array.isArray(spec.outputPorts) ? spec.outputPorts : [];
  return ports.flatMap(port => {
    const table = port.location?.table;
    if (!table?.database || !table.table) return [];
    const name = [table.catalog, table.database, table.table]
      .filter(Boolean)
      .join('.');
    return [{ label: port.title ?? port.name, sql: starterQuery(name) }];
  });
}

/**
 * The Query tab of a DataProduct: the SQL workbench over the product's tenant, opened on a
 * starter query of its first table port, with one for each of its table ports.
 */
export const QueryContent = () => {
  const { entity } = useEntity();
  const tenant = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const starters = useMemo(
    () => starterQueries((entity.spec ?? {}) as Partial<DataProductSpec>),
    [entity],
  );
  return (
    <Box>
      <DependencyNotice dependencies={['starrocks']} />
      {starters.length === 0 && (
        <Typography variant="body2" color="textSecondary" paragraph>
          This data product has no output port with a table to query. The
          workbench still reaches the other tables of {tenant}.
        </Typography>
      )}
      <QueryWorkbench
        tenant={tenant}
        starters={starters}
        initialSql={starters[0]?.sql}
      />
    </Box>
  );
};
