import {
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
  isValidTenantName,
} from '@akili/plugin-akili-common';

const DEAD_LETTER_SUFFIX = '.dlq';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regular expression matching the topics of `pattern` (default `akili.{tenant}.{family}`), for
 * one family or all of them, e.g. `/^akili\.([a-z0-9-]+)\.product$/`. The first group is the
 * tenant. Dead-letter topics (`….dlq`) never match, because tenant and family hold no dots.
 *
 * @public
 */
export function akiliEventTopicPattern(
  family?: string,
  pattern: string = DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
): RegExp {
  const source = escapeRegExp(pattern)
    .replace(escapeRegExp('{tenant}'), '([a-z0-9-]+)')
    .replace(
      new RegExp(escapeRegExp(escapeRegExp('{family}')), 'g'),
      family ? escapeRegExp(family) : '[a-z0-9-]+',
    );
  return new RegExp(`^${source}$`);
}

/**
 * The tenant a topic of `pattern` belongs to, or undefined when the topic is not one of the
 * pattern's topics.
 */
export function tenantOfTopic(
  topic: string,
  pattern: string = DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
): string | undefined {
  const match = akiliEventTopicPattern(undefined, pattern).exec(topic);
  const tenant = match?.[1];
  return tenant !== undefined && isValidTenantName(tenant) ? tenant : undefined;
}

/** Whether a topic is a dead-letter topic (`akiliDeadLetterTopic`). */
export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DEAD_LETTER_SUFFIX);
}

/** One regular expression matching exactly the given topics. */
export function exactTopicsPattern(topics: string[]): RegExp {
  return new RegExp(`^(?:${topics.map(escapeRegExp).join('|')})$`);
}

/**
 * A regular expression matching the dead-letter topics (`<topic>.dlq`) of the topics of
 * `pattern`; the first group is the tenant.
 *
 * @public
 */
export function akiliDeadLetterTopicPattern(
  pattern: string = DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
): RegExp {
  const topics = akiliEventTopicPattern(undefined, pattern).source;
  return new RegExp(
    `${topics.slice(0, -1)}${escapeRegExp(DEAD_LETTER_SUFFIX)}$`,
  );
}

/** The topic a dead-letter topic is the dead-letter topic of (`x.dlq` -> `x`). */
export function originalTopicOf(deadLetterTopic: string): string {
  return isDeadLetterTopic(deadLetterTopic)
    ? deadLetterTopic.slice(0, -DEAD_LETTER_SUFFIX.length)
    : deadLetterTopic;
}
