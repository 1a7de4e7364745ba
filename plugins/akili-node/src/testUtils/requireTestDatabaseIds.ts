import type { TestDatabaseId } from '@backstage/backend-test-utils';

/**
 * The databases backend tests run on: the PostgreSQL server prepared by
 * `scripts/test-services/up.sh` (its id in AKILI_TEST_PG_ID) and SQLite. A missing PostgreSQL
 * is an error, not a silent skip, unless AKILI_TEST_SKIP_POSTGRES=1 is set on purpose.
 *
 * @public
 */
export function requireTestDatabaseIds(): TestDatabaseId[] {
  if (process.env.AKILI_TEST_SKIP_POSTGRES === '1') {
    return ['SQLITE_3'];
  }
  const id = process.env.AKILI_TEST_PG_ID as TestDatabaseId | undefined;
  if (!id) {
    throw new Error(
      'AKILI_TEST_PG_ID is not set: run the tests through `make test`, or first run ' +
        '`eval "$(scripts/test-services/up.sh)"` (or set AKILI_TEST_SKIP_POSTGRES=1 to test on SQLite only)',
    );
  }
  return [id, 'SQLITE_3'];
}
