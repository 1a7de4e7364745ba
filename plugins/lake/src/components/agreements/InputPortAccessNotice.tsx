import { useMemo, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  akiliAccessReadPermission,
  akiliAccessRequestPermission,
  AccessAgreement,
  isAgreementInForce,
} from '@akili/plugin-lake-common';
import { isForbidden } from '@akili/plugin-akili-react';
import { InfoCard } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { AgreementErrorPanel } from './AgreementErrorPanel';
import { useLakeTenants } from '../common/useLakeTenants';
import { identityGrants } from '../../lib/identity';
import { columnsLabel, CrossTenantInput, crossTenantInputs } from './lib';
import { RequestAccessDialog } from './RequestAccessDialog';
import { useAgreements } from './useAgreements';

/** The props of {@link InputPortAccessNotice}. */
export interface InputPortAccessNoticeProps {
  /** The DataProduct; by default the entity of the page. */
  entity?: Entity;
  /** For tests: the current time. */
  now?: Date;
}

/** What a consumer tenant has on one input: in force, pending, or nothing. */
function stateOf(
  input: CrossTenantInput,
  agreements: AccessAgreement[],
  now: Date,
): { inForce?: AccessAgreement; pending?: AccessAgreement } {
  const on = agreements.filter(
    a =>
      a.provider.product.toLocaleLowerCase('en-US') ===
        input.product.toLocaleLowerCase('en-US') &&
      a.provider.port === input.port,
  );
  return {
    inForce: on.find(a => isAgreementInForce(a, now)),
    pending: on.find(a => a.status === 'requested'),
  };
}

/**
 * For each input port of the product that reads another tenant's product: whether an access
 * agreement is in force for the product's tenant, and if not what to request (a link to the
 * provider product and a "Request access" button). Nothing when no input crosses tenants.
 */
export const InputPortAccessNotice = (props: InputPortAccessNoticeProps) => {
  const { entity: pageEntity } = useEntity();
  const entity = props.entity ?? pageEntity;
  const consumer = entity.metadata.namespace ?? 'default';
  const inputs = useMemo(() => crossTenantInputs(entity), [entity]);
  const tenants = useLakeTenants();
  const identity = tenants.identity;
  const now = useMemo(() => props.now ?? new Date(), [props.now]);

  const mayRead = identityGrants(identity, consumer, akiliAccessReadPermission);
  const mayRequest = identityGrants(
    identity,
    consumer,
    akiliAccessRequestPermission,
  );
  // Only the product's tenant's members may read its agreements: others are not asked for.
  const queries = useMemo(
    () =>
      inputs.length > 0 && mayRead
        ? [{ tenant: consumer, side: 'consumer' as const }]
        : undefined,
    [inputs.length, mayRead, consumer],
  );
  const agreements = useAgreements(queries);
  const [requesting, setRequesting] = useState<CrossTenantInput>();

  if (inputs.length === 0) {
    return null;
  }
  let body: JSX.Element;
  if (tenants.loading || (mayRead && agreements.loading)) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Checking the access agreements of its inputs…
      </Typography>
    );
  } else if (tenants.error) {
    body = (
      <AgreementErrorPanel error={tenants.error} what="who you are in Akili" />
    );
  } else if (!mayRead || isForbidden(agreements.error)) {
    body = (
      <Alert severity="info">
        {entity.metadata.name} reads{' '}
        {inputs.map(i => `${i.tenant}/${i.name}`).join(', ')}: only members of{' '}
        {consumer} see whether {consumer} has agreed access to them.
      </Alert>
    );
  } else if (agreements.error) {
    body = (
      <AgreementErrorPanel
        error={agreements.error}
        what={`the access agreements of ${consumer}`}
        onRetry={agreements.reload}
      />
    );
  } else {
    body = (
      <>
        {inputs.map(input => {
          const { inForce, pending } = stateOf(input, agreements.items, now);
          const label = `Input ${input.input}`;
          if (inForce) {
            return (
              <Alert key={input.input} severity="success" aria-label={label}>
                Input <strong>{input.input}</strong> reads port {input.port} of{' '}
                <EntityRefLink
                  entityRef={input.product}
                  defaultKind="dataproduct"
                  hideIcon
                />
                : agreement in force until {inForce.until.slice(0, 10)} (
                {columnsLabel(inForce.columns)}).
              </Alert>
            );
          }
          return (
            <Alert
              key={input.input}
              severity={pending ? 'info' : 'warning'}
              aria-label={label}
              action={
                !pending && mayRequest ? (
                  <Button
                    color="inherit"
                    size="small"
                    aria-label={`Request access for ${input.input}`}
                    onClick={() => setRequesting(input)}
                  >
                    Request access
                  </Button>
                ) : undefined
              }
            >
              Input <strong>{input.input}</strong> reads port {input.port} of{' '}
              <EntityRefLink
                entityRef={input.product}
                defaultKind="dataproduct"
                hideIcon
              />
              {pending
                ? `: ${consumer}'s request is pending with ${input.tenant}.`
                : `: no agreement is in force, so ${consumer} cannot read it. ${
                    mayRequest
                      ? `Request access to port ${input.port} for ${consumer}.`
                      : `A member of ${consumer} requests access to port ${input.port}.`
                  }`}
            </Alert>
          );
        })}
      </>
    );
  }

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }} mb={2}>
      <Typography variant="subtitle2" component="h3">
        Inputs from other tenants
      </Typography>
      {body}
      {requesting && (
        // The provider's product is usually not readable by the consumer: the dialog reads
        // its ports from the catalog when it can, and asks for all columns otherwise.
        <RequestAccessDialog
          product={requesting.product}
          consumerTenants={[consumer]}
          initialPort={requesting.port}
          initialConsumerTenant={consumer}
          initialConsumerProduct={entity.metadata.name}
          onClose={() => setRequesting(undefined)}
          onRequested={agreement => agreements.put(agreement)}
          now={props.now}
        />
      )}
    </Box>
  );
};

/**
 * {@link InputPortAccessNotice} as a card of the entity's overview, titled "Inputs from other
 * tenants"; nothing when no input port reads another tenant's product.
 */
export const InputPortAccessCard = (props: InputPortAccessNoticeProps) => {
  const { entity: pageEntity } = useEntity();
  const entity = props.entity ?? pageEntity;
  if (crossTenantInputs(entity).length === 0) {
    return null;
  }
  return (
    <InfoCard title="Access to other tenants' data">
      <InputPortAccessNotice {...props} entity={entity} />
    </InfoCard>
  );
};
