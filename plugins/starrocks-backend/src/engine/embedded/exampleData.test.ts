import { planColumn, tableStatements } from './exampleData';

describe('planColumn', () => {
  it.each([
    [{ name: 'a', type: 'integer', physicalType: 'BIGINT' }, 'BIGINT'],
    [{ name: 'a', type: 'integer', physicalType: 'INT' }, 'INTEGER'],
    [{ name: 'a', type: 'integer', physicalType: 'LARGEINT' }, 'HUGEINT'],
    [
      { name: 'a', type: 'decimal', physicalType: 'DECIMAL(12, 2)' },
      'DECIMAL(12,2)',
    ],
    [{ name: 'a', type: 'string', physicalType: 'CHAR(3)' }, 'VARCHAR'],
    [{ name: 'a', type: 'timestamp', physicalType: 'DATETIME' }, 'TIMESTAMP'],
    [{ name: 'a', type: 'object', physicalType: 'STRUCT<a INT>' }, 'VARCHAR'],
    // Not a StarRocks type (an Avro one): the logical type decides.
    [
      { name: 'a', type: 'timestamp', physicalType: 'long (timestamp-millis)' },
      'TIMESTAMP',
    ],
    [{ name: 'a', type: 'decimal' }, 'DECIMAL(18,2)'],
    [{ name: 'a', type: 'number' }, 'DOUBLE'],
  ] as const)('%j is %s', (column, sqlType) => {
    expect(planColumn(column).sqlType).toBe(sqlType);
  });
});

describe('tableStatements', () => {
  const table = {
    catalog: 'iceberg_acme',
    database: 'sales',
    table: 'or"ders',
    columns: [
      { name: 'order_id', type: 'string' as const, physicalType: 'VARCHAR(12)', primaryKey: true, examples: ['ORD-100245'] },
      { name: 'country', type: 'string' as const, physicalType: 'CHAR(2)', required: true },
    ],
  }; // prettier-ignore

  it('quotes names, keys rows from the example, and is the same every time', () => {
    const statements = tableStatements(table, 3);
    expect(statements[0]).toBe(
      'CREATE TABLE "iceberg_acme"."sales"."or""ders" ("order_id" VARCHAR, "country" VARCHAR)',
    );
    expect(statements[1]).toMatch(
      /^INSERT INTO "iceberg_acme"\."sales"\."or""ders" VALUES \('ORD-100245', '[A-Z]{2}'\), \('ORD-100246', '[A-Z]{2}'\), \('ORD-100247', '[A-Z]{2}'\)$/,
    );
    expect(tableStatements(table, 3)).toEqual(statements);
  });
});
