import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { DAGSTER_OPERATIONS } from './operations';

/** Dagster's own schema, as kept by the test server package (provenance in its README). */
const schema = buildSchema(
  fs.readFileSync(
    path.join(
      path.dirname(require.resolve('@akili/dagster-test-server/package.json')),
      'schema/schema.graphql',
    ),
    'utf8',
  ),
);

describe('the GraphQL operations sent to Dagster', () => {
  it.each(Object.entries(DAGSTER_OPERATIONS))(
    '%s is valid against Dagster’s schema',
    (name, document) => {
      const ast = parse(document);
      expect(validate(schema, ast).map(e => e.message)).toEqual([]);
      // The operation is named as the client sends it (operationName).
      expect(ast.definitions).toEqual([
        expect.objectContaining({
          name: expect.objectContaining({ value: name }),
        }),
      ]);
    },
  );

  it('would catch a field Dagster does not have', () => {
    const broken = DAGSTER_OPERATIONS.AkiliGetRun.replace(
      'canTerminate',
      'canTerminateNow',
    );
    expect(validate(schema, parse(broken)).map(e => e.message)).toEqual([
      'Cannot query field "canTerminateNow" on type "Run". Did you mean "canTerminate"?',
    ]);
  });
});
