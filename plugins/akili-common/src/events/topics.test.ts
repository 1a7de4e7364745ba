import { akiliDeadLetterTopic, akiliEventTopic } from './topics';

describe('event topics', () => {
  it('names one topic per tenant and family', () => {
    expect(akiliEventTopic('acme', 'product')).toBe('akili.acme.product');
    expect(akiliEventTopic('acme', 'execution', 'prod.{family}.{tenant}')).toBe(
      'prod.execution.acme',
    );
    expect(akiliEventTopic('globex', 'access')).toBe('akili.globex.access');
    expect(akiliDeadLetterTopic('akili.acme.product')).toBe(
      'akili.acme.product.dlq',
    );
  });

  it('refuses a bad tenant, family or pattern', () => {
    expect(() => akiliEventTopic('Acme/x', 'product')).toThrow(
      "Invalid tenant name 'Acme/x' for an event topic",
    );
    expect(() => akiliEventTopic('acme', 'nope' as any)).toThrow(
      "Unknown event family 'nope'",
    );
    expect(() => akiliEventTopic('acme', 'product', 'all.{family}')).toThrow(
      'must contain {tenant} exactly once',
    );
    expect(() => akiliEventTopic('acme', 'product', 'a b {tenant}')).toThrow(
      "gives 'a b acme', which is not a legal Kafka topic name",
    );
  });
});
