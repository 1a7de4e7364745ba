import { parse } from 'yaml';
import { SweepFixture } from '../fixtures';

/** The table of the fixture's port as its manifest names it (`catalog.database.table`). */
export function portTable(t: SweepFixture): string {
  const manifest = parse(t.manifest);
  const port = manifest?.spec?.outputPorts?.find(
    (p: { name: string }) => p.name === t.port,
  );
  const table = port?.location?.table;
  return table
    ? [table.catalog, table.database, table.table].filter(Boolean).join('.')
    : `${t.tenant}_db.no_such_port`;
}
