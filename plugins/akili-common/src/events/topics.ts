import { isValidTenantName } from '../roles';
import { AkiliEventFamily } from './types';

/**
 * The default topic pattern: one topic per tenant and event family, e.g. `akili.acme.product`.
 *
 * @public
 */
export const DEFAULT_AKILI_EVENT_TOPIC_PATTERN = 'akili.{tenant}.{family}';

/** Legal Kafka topic names: letters, digits, `.`, `_`, `-`, at most 249 characters. */
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

const FAMILIES: readonly AkiliEventFamily[] = [
  'product',
  'execution',
  'quality',
  'tenant',
  'access',
];

/**
 * The topic of a tenant's events of one family. `pattern` must contain `{tenant}` (so tenants
 * never share a topic) and may contain `{family}`; the result must be a legal Kafka topic name.
 * Throws for an invalid tenant, family or pattern.
 *
 * @public
 */
export function akiliEventTopic(
  tenant: string,
  family: AkiliEventFamily,
  pattern: string = DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
): string {
  if (!isValidTenantName(tenant)) {
    throw new Error(`Invalid tenant name '${tenant}' for an event topic`);
  }
  if (!FAMILIES.includes(family)) {
    throw new Error(
      `Unknown event family '${family}'; known families: ${FAMILIES.join(
        ', ',
      )}`,
    );
  }
  if (pattern.split('{tenant}').length !== 2) {
    throw new Error(
      `Event topic pattern '${pattern}' must contain {tenant} exactly once`,
    );
  }
  const topic = pattern
    .replace('{tenant}', tenant)
    .replace(/\{family\}/g, family);
  if (!KAFKA_TOPIC.test(topic) || topic === '.' || topic === '..') {
    throw new Error(
      `Event topic pattern '${pattern}' gives '${topic}', which is not a legal Kafka topic name (letters, digits, '.', '_', '-', at most 249 characters)`,
    );
  }
  return topic;
}

/**
 * The dead-letter topic of a topic: where consumers park messages they cannot process.
 *
 * @public
 */
export function akiliDeadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
