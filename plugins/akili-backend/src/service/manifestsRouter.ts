import express from 'express';
import Router from 'express-promise-router';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringify } from 'yaml';
import {
  ManifestParserService,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliProductReadPermission,
  DataProductManifest,
  exportOdcs,
  exportOdps,
  isDataProductEntity,
  NAME_PATTERN,
} from '@akili/plugin-akili-common';
import { manifestTextOf } from './manifestBody';

const NAME = new RegExp(NAME_PATTERN);

/**
 * Manifest validation and the ODPS/ODCS export of catalog products. Mount it in the plugin's
 * validated router (`createRouter`), which reads the bodies.
 */
export function createManifestsRouter(options: {
  logger: LoggerService;
  catalog: CatalogService;
  tenancy: TenancyService;
  /** Reads manifests in worker threads, off the event loop. */
  manifestParser: ManifestParserService;
}): express.Router {
  const { catalog, tenancy, manifestParser } = options;
  const router = Router();

  /**
   * Validates an Akili manifest, an ODPS product or an ODCS contract.
   * 200 `{ valid, kind, errors: [{ path, line, column, message }] }` for a readable document;
   * 400 when the text is not a readable document at all (naming the line and column).
   */
  router.post('/v1/manifests/validate', async (req, res) => {
    // No tenant's data is read: any user, or an Akili API token.
    await tenancy.authenticate(req);
    // One document alone, as `akili validate` reads a file: contracts it names are warnings.
    const result = await manifestParser.parse(manifestTextOf(req), {
      unresolvedContracts: 'warning',
      contractAsProduct: true,
    });
    const unreadable =
      !result.valid &&
      result.kind === 'unknown' &&
      result.errors.length === 1 &&
      result.errors[0].path === '$';
    if (unreadable) {
      const [e] = result.errors;
      const where =
        e.line !== undefined
          ? ` at line ${e.line}, column ${e.column ?? 1}`
          : '';
      throw new InputError(`The manifest cannot be read${where}: ${e.message}`);
    }
    res.json({
      valid: result.valid,
      kind: result.kind,
      errors: result.errors,
      warnings: result.warnings ?? [],
    });
  });

  /**
   * Exports a catalog data product as a Bitol ODPS product (`format=odps`, the default) or the
   * ODCS contract of one output port (`format=odcs&port=<name>`); YAML when asked for with
   * `Accept: application/yaml`, JSON otherwise. The catalog read uses the caller's credentials,
   * so the caller sees only what the catalog lets them see (an API token of the product's tenant:
   * the plugin's own, for that tenant's product only).
   */
  router.get('/v1/products/:namespace/:name/export', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const { namespace, name } = req.params;
    if (!NAME.test(namespace) || !NAME.test(name)) {
      throw new InputError(
        `"${namespace}/${name}" is not a data product name: lowercase letters, digits and dashes`,
      );
    }
    // odps or odcs: the spec's enum, checked before the route.
    const format = req.query.format ?? 'odps';
    const ref = `dataproduct:${namespace}/${name}`;
    // A product's tenant is its namespace. A caller outside it (a user of another tenant, a token
    // of another tenant, any other service) gets the same 404 as for a product that does not
    // exist; the catalog read below uses the caller's credentials on top.
    const authorization = await tenancy.authorize(caller, {
      tenant: namespace,
      permission: akiliProductReadPermission,
      notFoundMessage: `No data product ${ref}`,
    });
    const entity: Entity | undefined = await catalog.getEntityByRef(ref, {
      credentials: await tenancy.catalogCredentials(authorization, {
        kind: 'dataproduct',
        namespace,
        name,
      }),
    });
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(`No data product ${ref}`);
    }
    const manifest = entity as unknown as DataProductManifest;
    let document: object;
    if (format === 'odps') {
      document = exportOdps(manifest);
    } else {
      const port = typeof req.query.port === 'string' ? req.query.port : '';
      const ports = manifest.spec.outputPorts.map(p => p.name);
      if (!ports.includes(port)) {
        throw new InputError(
          `port must name an output port of ${ref}: ${ports.join(', ')}`,
        );
      }
      document = exportOdcs(manifest, port);
    }
    if (
      req.accepts(['application/json', 'application/yaml']) ===
      'application/yaml'
    ) {
      res.type('application/yaml').send(stringify(document));
    } else {
      res.json(document);
    }
  });

  return router;
}
