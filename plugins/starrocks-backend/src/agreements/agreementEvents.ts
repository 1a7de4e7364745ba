import { EventsService } from '@backstage/plugin-events-node';
import { GrantReconciler } from '../grants/GrantReconciler';
import { AgreementsSource } from './AgreementsClient';

/** The Backstage events topics of the agreement events (the Akili events bridge's `akili.<type>`). */
export const AGREEMENT_EVENT_TOPICS = [
  'akili.access.granted',
  'akili.access.revoked',
];

/**
 * On `access.granted` and `access.revoked` (bridged into Backstage's events service): forgets
 * the consumer tenant's cached agreements, so its next query reads them again, and reconciles its
 * StarRocks grants in the background (retried on failure; a query never waits on it). An event
 * without a consumer tenant forgets every tenant's.
 */
export async function subscribeToAgreementEvents(options: {
  events: EventsService;
  agreements: AgreementsSource;
  grants?: GrantReconciler;
}): Promise<void> {
  const { events, agreements, grants } = options;
  await events.subscribe({
    id: 'starrocks-access-agreements',
    topics: AGREEMENT_EVENT_TOPICS,
    onEvent: async ({ eventPayload }) => {
      const consumer = (
        eventPayload as { data?: { consumer?: { tenant?: unknown } } }
      )?.data?.consumer?.tenant;
      if (typeof consumer !== 'string') {
        agreements.invalidate();
        if (grants) void grants.reconcileAll();
        return;
      }
      agreements.invalidate(consumer);
      grants?.reconcileSoon(consumer);
    },
  });
}
