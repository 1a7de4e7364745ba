import {
  classificationColors,
  classificationLabel,
  severityColors,
} from './classification';

describe('classificationColors', () => {
  it('gives each level its own colour', () => {
    const colours = [
      'sensitive-pii',
      'pii',
      'confidential',
      'internal',
      'public',
    ].map(level => classificationColors(level).background);
    expect(new Set(colours).size).toBe(5);
  });

  it('colours personal data red and amber, public green', () => {
    expect(classificationColors('sensitive-pii').background).toBe('#c62828');
    expect(classificationColors('pii').background).toBe('#f59e0b');
    expect(classificationColors('confidential').background).toBe('#c2410c');
    expect(classificationColors('public').background).toBe('#2e7d32');
  });

  it('treats absent and unknown levels as internal', () => {
    expect(classificationColors(undefined)).toEqual(
      classificationColors('internal'),
    );
    expect(classificationColors('secret')).toEqual(
      classificationColors('internal'),
    );
    expect(classificationLabel(undefined)).toBe('Internal');
  });

  it('labels levels for people', () => {
    expect(classificationLabel('sensitive-pii')).toBe('Sensitive PII');
    expect(classificationLabel('pii')).toBe('PII');
  });
});

describe('severityColors', () => {
  it('colours errors red and warnings amber, falling back to info', () => {
    expect(severityColors('error').background).toBe('#c62828');
    expect(severityColors('warning').background).toBe('#f59e0b');
    expect(severityColors('whatever')).toEqual(severityColors('info'));
  });
});
