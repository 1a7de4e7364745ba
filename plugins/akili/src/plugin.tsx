import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import BusinessIcon from '@material-ui/icons/Business';
import StorageIcon from '@material-ui/icons/Storage';
import { AkiliTenantsClient, akiliTenantsApiRef } from './api';
import { rootRouteRef, tenantRouteRef, tenantsRouteRef } from './routes';

export { rootRouteRef, tenantRouteRef, tenantsRouteRef };

/** Entity page extensions apply to DataProduct entities only. */
const dataProductFilter = { kind: 'dataproduct' };

/** `page:akili`: the data product marketplace at `/data-products`, also a sidebar item. */
export const dataProductsPage = PageBlueprint.make({
  params: {
    path: '/data-products',
    title: 'Data Products',
    icon: <StorageIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/DataProductsPage').then(m => <m.DataProductsPage />),
  },
});

/** `api:akili/tenants`: the tenant management API of the akili backend. */
export const akiliTenantsApi = ApiBlueprint.make({
  name: 'tenants',
  params: defineParams =>
    defineParams({
      api: akiliTenantsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AkiliTenantsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:akili/tenants`: tenant management at `/tenants` (one tenant at `/tenants/:tenant`),
 * also a sidebar item.
 */
export const tenantsPage = PageBlueprint.make({
  name: 'tenants',
  params: {
    path: '/tenants',
    title: 'Tenants',
    icon: <BusinessIcon fontSize="inherit" />,
    routeRef: tenantsRouteRef,
    loader: () =>
      import('./components/TenantsPage').then(m => <m.TenantsPage />),
  },
});

/** `entity-card:akili/overview`: what the product is, who runs it, how it is built. */
export const dataProductOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: dataProductFilter,
    type: 'content',
    loader: () =>
      import('./components/OverviewCard/DataProductOverviewCard').then(m => (
        <m.DataProductOverviewCard />
      )),
  },
});

/** `entity-content:akili/ports`: input and output ports with schemas. */
export const dataProductPortsContent = EntityContentBlueprint.make({
  name: 'ports',
  params: {
    path: 'ports',
    title: 'Ports',
    filter: dataProductFilter,
    loader: () =>
      import('./components/PortsContent/PortsContent').then(m => (
        <m.PortsContent />
      )),
  },
});

/** `entity-content:akili/contract`: contract terms, quality rules and SLOs per output port. */
export const dataProductContractContent = EntityContentBlueprint.make({
  name: 'contract',
  params: {
    path: 'contract',
    title: 'Contract',
    filter: dataProductFilter,
    loader: () =>
      import('./components/ContractContent/ContractContent').then(m => (
        <m.ContractContent />
      )),
  },
});

/** `entity-content:akili/lineage`: upstream and downstream products. */
export const dataProductLineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: 'lineage',
    title: 'Lineage',
    filter: dataProductFilter,
    loader: () =>
      import('./components/LineageContent/LineageContent').then(m => (
        <m.LineageContent />
      )),
  },
});

/**
 * `scaffolder-form-field:akili/tenant-picker`: the form field `AkiliTenantPicker` of the
 * templates, offering the tenants where the user may run them.
 */
export const tenantPickerFormField = FormFieldBlueprint.make({
  name: 'tenant-picker',
  params: {
    field: () =>
      import('./components/TenantPicker/field').then(m => m.tenantPickerField),
  },
});

/**
 * `scaffolder-form-field:akili/product-name-picker`: the form field `AkiliProductNamePicker`
 * of the templates, a valid name no data product of the form's tenant has yet.
 */
export const productNamePickerFormField = FormFieldBlueprint.make({
  name: 'product-name-picker',
  params: {
    field: () =>
      import('./components/ProductNamePicker/field').then(
        m => m.productNamePickerField,
      ),
  },
});

/**
 * `scaffolder-form-field:akili/manifest-preview`: the form field `AkiliManifestPreview` of the
 * new-product templates, the manifest the run will create, live and validated.
 */
export const manifestPreviewFormField = FormFieldBlueprint.make({
  name: 'manifest-preview',
  params: {
    field: () =>
      import('./components/ManifestPreview/field').then(
        m => m.manifestPreviewField,
      ),
  },
});

/**
 * The Akili frontend plugin: the data product marketplace, tenant management and the
 * DataProduct entity pages.
 *
 * @public
 */
export const akiliPlugin = createFrontendPlugin({
  pluginId: 'akili',
  title: 'Data Products',
  icon: <StorageIcon fontSize="inherit" />,
  routes: {
    root: rootRouteRef,
    tenants: tenantsRouteRef,
    tenant: tenantRouteRef,
  },
  extensions: [
    akiliTenantsApi,
    dataProductsPage,
    tenantsPage,
    dataProductOverviewCard,
    dataProductPortsContent,
    dataProductContractContent,
    dataProductLineageContent,
    tenantPickerFormField,
    productNamePickerFormField,
    manifestPreviewFormField,
  ],
});
