import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { QualityIncident } from '@akili/plugin-quality-common';

/** The portal's page of an incident (the frontend's `incidentRouteRef`). */
export function incidentLink(incident: QualityIncident): string {
  return `/incidents/${encodeURIComponent(
    incident.tenant,
  )}/${encodeURIComponent(incident.id)}`;
}

/**
 * The owners of a product: its `ownedBy` relations, or (before the catalog processed it) the
 * manifest's `spec.owner`, a group of the product's tenant unless it names another.
 */
function ownersOf(
  entity: {
    relations?: Array<{ type: string; targetRef: string }>;
    spec?: unknown;
  },
  tenant: string,
): string[] {
  const related = (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => relation.targetRef);
  if (related.length > 0) return related;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || owner === '') return [];
  return [
    stringifyEntityRef(
      parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: tenant }),
    ),
  ];
}

/**
 * Tells the owners of each incident's product that it opened, through Backstage notifications,
 * with a link to the incident. Call it after the transaction that opened the incidents
 * committed. A product missing from the catalog, or without an owner, is skipped; a failure is
 * logged and never thrown (the incident stands, whoever hears of it).
 */
export async function notifyIncidentOwners(
  incidents: QualityIncident[],
  deps: {
    catalog: CatalogService;
    auth: AuthService;
    notifications: NotificationService;
    logger: LoggerService;
  },
): Promise<void> {
  if (incidents.length === 0) return;
  const credentials = await deps.auth.getOwnServiceCredentials();
  for (const incident of incidents) {
    try {
      const ref = parseEntityRef(incident.product);
      // Only a product of the incident's own tenant.
      if (ref.namespace !== incident.tenant) continue;
      const product = await deps.catalog.getEntityByRef(ref, { credentials });
      if (!product) continue;
      const owners = ownersOf(product, incident.tenant);
      if (owners.length === 0) continue;
      await deps.notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title: `Quality incident on ${
            product.metadata.title ?? product.metadata.name
          }`,
          description: `${incident.title} (${incident.product}, incident ${incident.id}).`,
          link: incidentLink(incident),
          severity: incident.severity === 'error' ? 'high' : 'normal',
          topic: 'akili-quality-incident',
          scope: `akili-quality-incident:${incident.tenant}:${incident.id}`,
        },
      });
    } catch (error) {
      deps.logger.warn('Could not notify the owners of a quality incident', {
        tenant: incident.tenant,
        incident: incident.id,
        product: incident.product,
        error: String(error),
      });
    }
  }
}
