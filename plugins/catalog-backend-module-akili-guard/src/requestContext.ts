import { AsyncLocalStorage } from 'node:async_hooks';
import { AkiliAccess, parseAkiliAccess } from '@akili/plugin-akili-common';
import {
  AuthService,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Handler } from 'express';

/**
 * Who a catalog request runs for, as far as reading files goes: a user with their Akili access,
 * or anything else (a plugin on its own behalf, an external token, no credentials).
 *
 * @public
 */
export type Requester =
  | { type: 'user'; userEntityRef: string; access: AkiliAccess }
  | { type: 'other' };

/**
 * Remembers, for the duration of each catalog request, on whose behalf the catalog works. The
 * catalog processes entities inside some requests (`/validate-entity`, dry-run
 * `/locations`, `/analyze-location`) with the same processors as its background processing; the
 * placeholder resolvers and the Location guard ask this to tell a user's request (the base
 * location comes from the user) from processing (the base location comes from the catalog).
 *
 * @public
 */
export class CatalogRequestContext {
  private readonly storage = new AsyncLocalStorage<() => Promise<Requester>>();

  constructor(
    private readonly deps: {
      auth: AuthService;
      httpAuth: HttpAuthService;
      userInfo: UserInfoService;
    },
  ) {}

  /**
   * Middleware for the catalog's router: everything the request triggers runs with the
   * requester at hand (looked up once, when first asked for).
   */
  middleware(): Handler {
    return (req, _res, next) => {
      let requester: Promise<Requester> | undefined;
      const lookup = () => {
        requester ??= this.lookup(req);
        return requester;
      };
      this.storage.run(lookup, next);
    };
  }

  /** The requester of the request being served, or `undefined` outside any request. */
  current(): Promise<Requester> | undefined {
    return this.storage.getStore()?.();
  }

  private async lookup(req: Parameters<Handler>[0]): Promise<Requester> {
    try {
      const credentials = await this.deps.httpAuth.credentials(req);
      if (!this.deps.auth.isPrincipal(credentials, 'user')) {
        return { type: 'other' };
      }
      const info = await this.deps.userInfo.getUserInfo(credentials);
      return {
        type: 'user',
        userEntityRef: info.userEntityRef,
        access: parseAkiliAccess(info.ownershipEntityRefs),
      };
    } catch {
      // No usable credentials: the request reads nothing on anyone's behalf.
      return { type: 'other' };
    }
  }
}
