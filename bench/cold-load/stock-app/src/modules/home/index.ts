import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

/** The stock home page: a header and a few words, loaded when the home page opens. */
const stockHomeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./StockHomePage').then(m => m.StockHomePage),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [stockHomeLayout],
});
