import { useMemo, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  akiliAccessDecidePermission,
  akiliAccessReadPermission,
  akiliAccessRequestPermission,
  AccessAgreement,
} from '@akili/plugin-lake-common';
import type { OutputPort } from '@akili/plugin-akili-common';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { AccessAgreementQuery } from '../../api';
import { AgreementErrorPanel } from './AgreementErrorPanel';
import { AgreementLineage } from './AgreementLineage';
import { AgreementsTable } from './AgreementsTable';
import { useLakeTenants } from '../common/useLakeTenants';
import { identityGrants } from '../../lib/identity';
import { inboxOrder, outputPortsOf, productRefOf } from './lib';
import { InputPortAccessNotice } from './InputPortAccessNotice';
import { RequestAccessDialog, RequestSentAlert } from './RequestAccessDialog';
import { useAgreements } from './useAgreements';

/** The props of {@link ProductAccessCard}. */
export interface ProductAccessCardProps {
  /** The DataProduct; by default the entity of the page. */
  entity?: Entity;
  /** For tests: the current time of the request dialog. */
  now?: Date;
}

/**
 * The Access tab of a DataProduct: what its inputs from other tenants need (see
 * {@link InputPortAccessNotice}), then per output port, the access agreements the caller may see
 * (the provider's members see all of them, other tenants' members their own tenants'). Members
 * of other tenants request access from here; the provider's developers and operators approve,
 * reject and revoke.
 */
export const ProductAccessCard = (props: ProductAccessCardProps) => {
  const { entity: pageEntity } = useEntity();
  const entity = props.entity ?? pageEntity;
  const provider = entity.metadata.namespace ?? 'default';
  const product = productRefOf(entity);
  const ports = useMemo(() => outputPortsOf(entity), [entity]);
  const tenants = useLakeTenants();
  const identity = tenants.identity;

  const memberTenants = identity?.tenants.map(t => t.name) ?? [];
  const isProviderMember =
    !!identity && (identity.platformAdmin || memberTenants.includes(provider));
  const consumerTenants = tenants.tenants
    .map(t => t.name)
    .filter(
      name =>
        name !== provider &&
        identityGrants(identity, name, akiliAccessRequestPermission),
    );

  // The provider's members see every agreement on the product; others see those of their own
  // tenants (the backend hides the rest anyway).
  const queries = useMemo<AccessAgreementQuery[] | undefined>(() => {
    if (!identity) return undefined;
    const list: AccessAgreementQuery[] = [];
    if (isProviderMember) {
      list.push({ tenant: provider, side: 'provider', product });
    }
    for (const t of identity.tenants) {
      if (
        t.name !== provider &&
        identityGrants(identity, t.name, akiliAccessReadPermission)
      ) {
        list.push({ tenant: t.name, side: 'consumer', product });
      }
    }
    return list;
  }, [identity, isProviderMember, provider, product]);
  const agreements = useAgreements(
    queries,
    a => a.provider.product === product,
  );

  // The lineage's consumer side: what this product reads from other tenants under agreements
  // of its own tenant, which only the tenant's members may list.
  const consumerQueries = useMemo<AccessAgreementQuery[] | undefined>(
    () =>
      identityGrants(identity, provider, akiliAccessReadPermission)
        ? [{ tenant: provider, side: 'consumer', status: 'approved' }]
        : undefined,
    [identity, provider],
  );
  const reads = useAgreements(
    consumerQueries,
    a => a.consumer.product === product,
  );

  const [requestPort, setRequestPort] = useState<string>();
  const [sent, setSent] = useState<AccessAgreement>();

  const canDecide = (tenant: string) =>
    identityGrants(identity, tenant, akiliAccessDecidePermission);
  const canActAsConsumer = (tenant: string) =>
    identityGrants(identity, tenant, akiliAccessRequestPermission);

  let body: JSX.Element;
  if (
    tenants.loading ||
    (queries && queries.length > 0 && agreements.loading) ||
    (consumerQueries && reads.loading)
  ) {
    body = <Progress />;
  } else if (tenants.error) {
    body = (
      <AgreementErrorPanel error={tenants.error} what="who you are in Akili" />
    );
  } else if (agreements.error || reads.error) {
    body = (
      <AgreementErrorPanel
        error={agreements.error ?? reads.error}
        what={`the access agreements of ${entity.metadata.name}`}
        forbidden={`You are not allowed to see the access agreements of ${entity.metadata.name}.`}
        onRetry={() => {
          agreements.reload();
          reads.reload();
        }}
      />
    );
  } else if (ports.length === 0) {
    body = (
      <>
        <AgreementLineage
          product={product}
          agreements={[...agreements.items, ...reads.items]}
          now={props.now}
        />
        <Typography variant="body2">
          This product has no output ports: there is nothing to share.
        </Typography>
      </>
    );
  } else {
    const portNames = new Set(ports.map(p => p.name));
    const extra = [
      ...new Set(
        agreements.items
          .map(a => a.provider.port)
          .filter(name => !portNames.has(name)),
      ),
    ];
    const sections: Array<Pick<OutputPort, 'name' | 'title'>> = [
      ...ports,
      ...extra.map(name => ({ name, title: `${name} (no longer declared)` })),
    ];
    body = (
      <>
        <AgreementLineage
          product={product}
          agreements={[...agreements.items, ...reads.items]}
          now={props.now}
        />
        {!isProviderMember && consumerTenants.length === 0 && (
          <Box mb={2}>
            <Alert severity="info">
              To read {entity.metadata.name}, a member of your tenant asks{' '}
              {provider} for access. You are in no tenant where you may ask.
            </Alert>
          </Box>
        )}
        {sent && (
          <RequestSentAlert
            agreement={sent}
            where="It is listed below."
            onClose={() => setSent(undefined)}
          />
        )}
        {sections.map(port => {
          const items = inboxOrder(
            agreements.items.filter(a => a.provider.port === port.name),
          );
          return (
            <Box key={port.name} mb={3} component="section">
              <Box
                display="flex"
                alignItems="center"
                justifyContent="space-between"
                mb={1}
              >
                <Typography variant="h6" component="h3">
                  {port.title ? `${port.title} (${port.name})` : port.name}
                </Typography>
                {consumerTenants.length > 0 && portNames.has(port.name) && (
                  <Button
                    variant="outlined"
                    color="primary"
                    onClick={() => setRequestPort(port.name)}
                    aria-label={`Request access to ${port.name}`}
                  >
                    Request access
                  </Button>
                )}
              </Box>
              {items.length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  {isProviderMember
                    ? 'No other tenant has asked for this port.'
                    : 'Your tenants have no agreement on this port.'}
                </Typography>
              ) : (
                <AgreementsTable
                  label={`Access agreements on ${port.name}`}
                  agreements={items}
                  canDecide={canDecide}
                  canActAsConsumer={canActAsConsumer}
                  onChanged={agreements.put}
                />
              )}
            </Box>
          );
        })}
      </>
    );
  }

  return (
    <InfoCard title="Access by other tenants">
      <DependencyNotice
        dependencies={['starrocks', 'ceph-s3']}
        consequence="approved or revoked agreements may take effect late"
      />
      <Typography variant="body2" paragraph>
        Other tenants read {entity.metadata.name}'s output ports only under an
        agreement {provider} approved: for a purpose, to some columns, until a
        date.
      </Typography>
      <InputPortAccessNotice entity={entity} now={props.now} />
      {body}
      {requestPort !== undefined && (
        <RequestAccessDialog
          product={product}
          ports={ports}
          consumerTenants={consumerTenants}
          initialPort={requestPort}
          onClose={() => setRequestPort(undefined)}
          onRequested={agreement => {
            agreements.put(agreement);
            setSent(agreement);
          }}
          now={props.now}
        />
      )}
    </InfoCard>
  );
};
