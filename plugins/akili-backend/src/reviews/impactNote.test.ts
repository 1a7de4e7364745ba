import { IMPACT_NOTE_MARKER, renderImpactNote } from './impactNote';

const context = {
  entityRef: 'dataproduct:acme/orders',
  sourceBranch: 'feature',
  commit: '0123456789abcdef',
  manifestPath: 'dataproduct.yaml',
  warnings: [],
};

describe('renderImpactNote', () => {
  it('starts with the marker and says "no consumer impact" for a new product or an unchanged manifest', () => {
    for (const kind of ['new', 'unchanged'] as const) {
      const body = renderImpactNote(context, { kind });
      expect(body.startsWith(`${IMPACT_NOTE_MARKER}\n`)).toBe(true);
      expect(body).toContain('**no consumer impact**');
    }
  });

  it('names a deleted manifest', () => {
    expect(renderImpactNote(context, { kind: 'removed' })).toContain(
      'This merge request **deletes** `dataproduct.yaml`',
    );
  });

  it('lists breaking changes, affected consumers with owners, other changes, and counts the rest', () => {
    const body = renderImpactNote(context, {
      kind: 'diff',
      revision: 3,
      diff: {
        changes: [
          {
            kind: 'output-port-removed',
            path: 'spec.outputPorts[daily]',
            message: 'Output port daily removed',
            breaking: true,
          },
          {
            kind: 'output-port-added',
            path: 'spec.outputPorts[weekly]',
            message: 'Output port weekly added',
            breaking: false,
          },
        ],
        breaking: true,
        previousVersion: '1.2.0',
        nextVersion: '2.0.0',
        requiresMajorBump: false,
      },
      impact: {
        consumers: [
          {
            entityRef: 'dataproduct:acme/kpis',
            title: 'KPIs *bold*',
            owner: 'group:acme/bi',
            ports: ['daily'],
            affected: true,
          },
          {
            entityRef: 'dataproduct:acme/other',
            owner: 'group:acme/x',
            ports: ['weekly'],
            affected: false,
          },
        ],
      },
    });
    expect(body).toContain(
      '**1 breaking change**, affecting 1 downstream product. Compared with registry revision 3 (version `1.2.0`); this branch is `2.0.0`.',
    );
    expect(body).toContain(
      '- `dataproduct:acme/kpis` (KPIs \\*bold\\*), owner `group:acme/bi`, reads `daily`',
    );
    expect(body).toContain(
      '#### Other changes\n- `spec.outputPorts[weekly]`: Output port weekly added',
    );
    expect(body).toContain(
      '1 other downstream product reads this product without being affected.',
    );
    expect(body).not.toContain('needs a new major');
  });

  it('escapes what the manifest says, so a note says no more than it should', () => {
    const body = renderImpactNote(
      {
        ...context,
        warnings: ["metadata.name '<img src=x>' is not the project's name"],
      },
      {
        kind: 'invalid',
        errors: [
          {
            path: 'spec.owner`x',
            line: 4,
            message: '<script>alert(1)</script>',
          },
        ],
      },
    );
    expect(body).toContain(
      "- `spec.owner'x` (line 4): \\<script\\>alert(1)\\</script\\>",
    );
    expect(body).toContain("> metadata.name '\\<img src=x\\>'");
    expect(body).not.toContain('<script>');
  });
});
