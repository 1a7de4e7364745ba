import {
  Content,
  Header,
  MarkdownContent,
  Page,
} from '@backstage/core-components';

const welcome = `
Browse the [catalog](/catalog) or [create](/create) a component from a template.
`;

export const StockHomePage = () => (
  <Page themeId="home">
    <Header title="Backstage" subtitle="Welcome to the stock app" />
    <Content>
      <MarkdownContent content={welcome} />
    </Content>
  </Page>
);
