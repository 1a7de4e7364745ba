import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { authModule } from './modules/auth';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';

// The other plugins of package.json are discovered through `app.packages: all`.
export default createApp({
  features: [catalogPlugin, authModule, navModule, homeModule],
});
