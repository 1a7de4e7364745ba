import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

/** Replaces the sample widget grid with Akili's home page. */
const akiliHomeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./AkiliHomePage').then(m => m.AkiliHomePage),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [akiliHomeLayout],
});
