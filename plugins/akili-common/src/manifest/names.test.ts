import { parseManifest } from './parse';
import { dataProductNameProblem, MAX_NAME_LENGTH, nameProblem } from './names';
import { templateManifestYaml } from './template';

describe('dataProductNameProblem', () => {
  it('accepts the names manifests accept and refuses the others, in words', () => {
    for (const name of ['orders', 'order-stats', 'a', '2024-sales']) {
      expect(dataProductNameProblem(name)).toBeUndefined();
    }
    expect(dataProductNameProblem('Order Stats')).toBe(
      '"Order Stats" is not a data product name: lowercase letters, digits and dashes, starting and ending with a letter or digit (like daily-orders)',
    );
    expect(dataProductNameProblem('-orders')).toMatch(/is not a data product/);
    expect(dataProductNameProblem('order_stats')).toMatch(/is not a data/);
    expect(dataProductNameProblem('a'.repeat(64))).toBe(
      'A data product name has at most 63 characters ("aaaaaaaaaaaaaaaaaaaa…" has 64)',
    );
    expect(dataProductNameProblem('')).toBe('A data product needs a name');
    expect(dataProductNameProblem(undefined)).toBe(
      'A data product needs a name',
    );
  });

  it('names what the name is for, with the same rule', () => {
    expect(nameProblem('Acme!', 'tenant')).toBe(
      '"Acme!" is not a tenant name: lowercase letters, digits and dashes, starting and ending with a letter or digit (like daily-orders)',
    );
    expect(nameProblem('a'.repeat(64), 'tenant')).toMatch(
      /^A tenant name has at most 63 characters/,
    );
    expect(nameProblem('acme', 'tenant')).toBeUndefined();
  });

  it('is the rule of the manifest schema', () => {
    const valid = (name: string) =>
      parseManifest(
        templateManifestYaml('sql', {
          tenant: 'acme',
          name,
          domain: 'sales',
          owner: 'team',
          outputPorts: [
            { name: 'p', columns: [{ name: 'c', type: 'string' }] },
          ],
        }),
      ).valid;
    for (const name of [
      'orders',
      'Orders',
      'a-',
      'a'.repeat(MAX_NAME_LENGTH),
      'a'.repeat(MAX_NAME_LENGTH + 1),
    ]) {
      expect(dataProductNameProblem(name) === undefined).toBe(valid(name));
    }
  });
});
