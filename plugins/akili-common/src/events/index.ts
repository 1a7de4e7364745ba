export * from './types';
export {
  AKILI_EVENT_TYPES,
  akiliEventFamily,
  isAkiliEventType,
} from './registry';
export type {
  AccessConsumerV1,
  AccessGrantedV1,
  AccessPortV1,
  AccessRequestedV1,
  AccessRevokedV1,
  AkiliEventDataMap,
  AkiliEventType,
  AkiliEventTypeDefinition,
  ExecutionCompletedV1,
  ProductDeployedV1,
  ProductDeploymentFailedV1,
  ProductRegisteredV1,
  QualityCheckResultV1,
  QualityCheckedV1,
  TenantCreatedV1,
  TenantSuspendedV1,
} from './registry';
export {
  InvalidAkiliEventError,
  akiliEventEnvelopeSchema,
  assertValidAkiliEvent,
  createAkiliEvent,
  parseAkiliEvent,
  validateAkiliEvent,
} from './validate';
export type { CreateAkiliEventOptions } from './validate';
export {
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
  akiliDeadLetterTopic,
  akiliEventTopic,
} from './topics';
