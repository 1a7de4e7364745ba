/** A link on the home page; later plugins (data products, query, runs) add theirs here. */
export interface HomeLink {
  label: string;
  to: string;
  description: string;
}

/** The three groups of people the portal serves, each with the places they start from. */
export const audiences: Array<{
  id: string;
  title: string;
  summary: string;
  links: HomeLink[];
}> = [
  {
    id: 'developers',
    title: 'Build data products',
    summary: 'For data product developers',
    links: [
      {
        label: 'Create from a template',
        to: '/create',
        description: 'Scaffold a new product as a GitLab project',
      },
      {
        label: 'Register an existing manifest',
        to: '/catalog-import',
        description: 'Import a repository that already holds a manifest',
      },
    ],
  },
  {
    id: 'operators',
    title: 'Operate the platform',
    summary: 'For platform operators',
    links: [
      {
        label: 'Browse the catalog',
        to: '/catalog',
        description: 'Products, systems, owners and their relations',
      },
      {
        label: 'Teams and tenants',
        to: '/catalog?filters[kind]=group',
        description: 'Groups that own products, per tenant',
      },
    ],
  },
  {
    id: 'consumers',
    title: 'Discover and use data',
    summary: 'For data consumers',
    links: [
      {
        label: 'Data products',
        to: '/data-products',
        description: 'Browse products by tenant, domain, owner and tag',
      },
      {
        label: 'Search',
        to: '/search',
        description: 'Find products, columns and owners',
      },
      {
        label: 'Domains',
        to: '/catalog?filters[kind]=domain',
        description: 'Business domains and the products in them',
      },
    ],
  },
];
