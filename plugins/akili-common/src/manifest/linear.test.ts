/*
 * Parsing costs as much as the text: counted steps, not timings (timings are in
 * bench/manifest-parse, with a baseline in the same run; machines here are too noisy).
 */
import { odcsSchemaIssues } from '../standards/validators';
import { ADVERSARIAL_SHAPES } from './__testUtils__/adversarial';
import { MAX_MANIFEST_BYTES, parseManifestCounting } from './parse';
import { checkManifestSemantics } from './semantics';
import { ParseWork, emptyParseWork } from './source';
import { DataProductManifest, ManifestProblem } from './types';

const total = (work: ParseWork) =>
  Object.values(work).reduce((sum, steps) => sum + steps, 0);

describe('parseManifest on adversarial manifests', () => {
  it.each(ADVERSARIAL_SHAPES.map(shape => [shape.name, shape] as const))(
    '%s: 1 MiB gives the expected answer in steps linear in its size',
    (_name, shape) => {
      const quarter = emptyParseWork();
      parseManifestCounting(
        shape.generate(MAX_MANIFEST_BYTES / 4),
        undefined,
        quarter,
      );
      const full = emptyParseWork();
      const text = shape.generate(MAX_MANIFEST_BYTES);
      expect(text.length).toBeGreaterThan(MAX_MANIFEST_BYTES - 1024);
      const result = parseManifestCounting(text, undefined, full);

      expect(result.valid).toBe(shape.outcome === 'valid');
      // An invalid text says where: its first problem has a path, a line and a column.
      const [first] = result.errors as ManifestProblem[];
      expect(
        first === undefined ||
          (first.path.startsWith('$') &&
            first.line !== undefined &&
            first.column !== undefined),
      ).toBe(true);
      expect(first?.message ?? '').toMatch(shape.firstError ?? /^/);
      // No kind of step is repeated per key, per problem or per line: each is a few per
      // character at most, and four times the text costs at most about four times the steps.
      for (const steps of Object.values(full)) {
        expect(steps).toBeLessThanOrEqual(2 * text.length);
      }
      expect(total(full)).toBeLessThanOrEqual(4.4 * total(quarter) + 1000);
    },
    120_000,
  );
});

describe('validation work', () => {
  it('checks an ODCS contract with many problems without copying its list of errors per problem', () => {
    const properties = Array.from({ length: 2000 }, (_, i) => ({
      name: `c${i}`,
      logicalType: 42,
    }));
    const contract = {
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'c',
      version: '1.0.0',
      status: 'active',
      schema: [{ name: 'orders', properties }],
    };
    // ajv's code gathered the errors of each referenced schema with `vErrors.concat(...)`:
    // one copy of every error so far per property, 2000²/2 copies here.
    const concat = jest.spyOn(Array.prototype, 'concat');
    try {
      const issues = odcsSchemaIssues(contract);
      expect(issues.length).toBeGreaterThanOrEqual(2000);
      expect(concat).not.toHaveBeenCalled();
    } finally {
      concat.mockRestore();
    }
  });

  it('checks quality rules against ports and columns looked up, not searched', () => {
    const columns = Array.from({ length: 500 }, (_, i) => ({
      name: `c${i}`,
      type: 'string' as const,
    }));
    const manifest = {
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'orders', namespace: 'acme' },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        owner: 'group:acme/team',
        domain: 'sales',
        outputPorts: [
          {
            name: 'orders',
            kind: 'table',
            location: { table: { database: 'd', table: 't' } },
            schema: columns,
          },
        ],
        quality: columns.map((c, i) => ({
          name: `r${i}`,
          type: 'completeness',
          port: 'orders',
          column: c.name.toUpperCase(),
          metric: 'null_ratio',
          operator: '=',
          threshold: 0,
          severity: 'error',
        })),
      },
    } as unknown as DataProductManifest;
    // Column names compare case-insensitively: each name is lowercased once, not once per rule.
    const lower = jest.spyOn(String.prototype, 'toLocaleLowerCase');
    try {
      expect(checkManifestSemantics(manifest)).toEqual([]);
      expect(lower.mock.calls.length).toBeLessThanOrEqual(3 * 500 + 10);
    } finally {
      lower.mockRestore();
    }
  });

  it('names at most ten ports in a problem', () => {
    const ports = Array.from({ length: 50 }, (_, i) => ({
      name: `p${i}`,
      kind: 'api',
      location: {},
      schema: [],
    }));
    const manifest = {
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'orders', namespace: 'acme' },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        owner: 'group:acme/team',
        domain: 'sales',
        outputPorts: ports,
        quality: [
          {
            name: 'r',
            type: 'volume',
            port: 'nope',
            metric: 'row_count',
            operator: '>',
            threshold: 0,
            severity: 'error',
          },
        ],
      },
    } as unknown as DataProductManifest;
    expect(checkManifestSemantics(manifest)).toEqual([
      {
        segments: ['spec', 'quality', 0, 'port'],
        message:
          "quality rule 'r' checks port 'nope', which is not an output port (output ports: p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 and 40 more)",
        at: undefined,
      },
    ]);
  });
});
