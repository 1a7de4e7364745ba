import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { incidentRouteRef } from '../../routes';
import { parseProductRef } from '../../lib/format';

/** A data product, linked to its entity page (its Quality tab when `tab` is set). */
export const ProductLink = (props: {
  product: string;
  tenant?: string;
  tab?: string;
}) => {
  const entityRoute = useRouteRef(entityRouteRef);
  const { namespace, name } = parseProductRef(props.product, props.tenant);
  if (!entityRoute) return <>{name}</>;
  const href = entityRoute(
    entityRouteParams({ kind: 'dataproduct', namespace, name }),
  );
  return (
    <Link to={props.tab ? `${href}/${props.tab}` : href}>
      {namespace === props.tenant ? name : `${namespace}/${name}`}
    </Link>
  );
};

/** An incident's title, linked to its page. */
export const IncidentLink = (props: {
  tenant: string;
  id: string;
  children: React.ReactNode;
}) => {
  const incidentRoute = useRouteRef(incidentRouteRef);
  if (!incidentRoute) return <>{props.children}</>;
  return (
    <Link to={incidentRoute({ tenant: props.tenant, incidentId: props.id })}>
      {props.children}
    </Link>
  );
};
