import { qualityScore, qualityStatus } from './score';

describe('qualityScore', () => {
  it('weighs error rules three times warning rules and gives a warning half credit', () => {
    expect(
      qualityScore([
        { severity: 'error', outcome: 'pass' },
        { severity: 'warning', outcome: 'fail' },
      ]),
    ).toBe(75);
    expect(
      qualityScore([
        { severity: 'error', outcome: 'warn' },
        { severity: 'info', outcome: 'pass' },
      ]),
    ).toBe(57.1);
  });

  it('leaves rules that never ran out of the score, and has none without results', () => {
    expect(
      qualityScore([
        { severity: 'error', outcome: 'pass' },
        { severity: 'error' },
        { severity: 'warning', outcome: null },
      ]),
    ).toBe(100);
    expect(qualityScore([{ severity: 'error' }])).toBeNull();
    expect(qualityScore([])).toBeNull();
  });

  it('gives an errored check no credit', () => {
    expect(qualityScore([{ severity: 'warning', outcome: 'error' }])).toBe(0);
  });
});

describe('qualityStatus', () => {
  const base = {
    failingErrorRules: 0,
    degradedRules: 0,
    rulesWithResults: 3,
    freshness: 'fresh' as const,
  };
  it('is failing before stale before degraded', () => {
    expect(
      qualityStatus({ ...base, failingErrorRules: 1, freshness: 'stale' }),
    ).toBe('failing');
    expect(
      qualityStatus({ ...base, degradedRules: 2, freshness: 'stale' }),
    ).toBe('stale');
    expect(qualityStatus({ ...base, degradedRules: 2 })).toBe('degraded');
    expect(qualityStatus(base)).toBe('healthy');
  });

  it('is unknown with no result and no known freshness', () => {
    expect(
      qualityStatus({ ...base, rulesWithResults: 0, freshness: 'no-slo' }),
    ).toBe('unknown');
    expect(
      qualityStatus({ ...base, rulesWithResults: 0, freshness: 'unknown' }),
    ).toBe('unknown');
    expect(qualityStatus({ ...base, rulesWithResults: 0 })).toBe('healthy');
  });
});
