import { stringifyEntityRef } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { AkiliEvent, DATA_PRODUCT_KIND } from '@akili/plugin-akili-common';

/**
 * The refresh key the DataProduct processor puts on each product, so that one product can be
 * reprocessed on demand: `akili-dataproduct:<tenant>/<name>`, lower case.
 */
export function dataProductRefreshKey(ref: {
  namespace: string;
  name: string;
}): string {
  return `akili-dataproduct:${stringifyEntityRef({
    kind: DATA_PRODUCT_KIND,
    namespace: ref.namespace,
    name: ref.name,
  }).replace(/^dataproduct:/, '')}`;
}

/** The Akili events after which the catalog reprocesses the product they are about. */
export const PRODUCT_REFRESH_TOPICS = [
  'akili.product.registered',
  'akili.product.deployed',
];

const PRODUCT_SUBJECT = /^dataproduct:([a-z0-9-]+)\/([a-z0-9][a-z0-9-]*)$/i;

/**
 * Reprocesses a data product when an Akili event says it changed (`product.registered`,
 * `product.deployed`, bridged into Backstage's events service), instead of waiting for the next
 * processing round. It is an entity provider only for its connection: it provides no entities.
 */
export class ProductRefreshTrigger implements EntityProvider {
  #connection?: EntityProviderConnection;
  readonly #logger: LoggerService;

  constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  getProviderName(): string {
    return 'akili-product-refresh';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
  }

  /**
   * Handles one bridged event (its payload is the Akili envelope): marks the product named by
   * its subject for reprocessing. Anything else is ignored, with a warning.
   */
  async onEvent(payload: unknown): Promise<void> {
    const event = payload as Partial<AkiliEvent> | undefined;
    const match = PRODUCT_SUBJECT.exec(String(event?.subject ?? ''));
    if (!match || match[1].toLocaleLowerCase('en-US') !== event?.tenant) {
      this.#logger.warn(
        `Ignoring an Akili ${String(event?.type)} event whose subject '${String(
          event?.subject,
        )}' is not a data product of its tenant '${String(event?.tenant)}'`,
      );
      return;
    }
    if (!this.#connection) {
      // The catalog connects providers at start-up: before that there is nothing to refresh.
      return;
    }
    await this.#connection.refresh({
      keys: [dataProductRefreshKey({ namespace: match[1], name: match[2] })],
    });
    this.#logger.debug(`Refreshing ${event.subject} after ${event.type}`);
  }
}
