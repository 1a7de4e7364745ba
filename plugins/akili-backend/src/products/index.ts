export { createProductsRouter } from './router';
export {
  ProductStore,
  PRODUCTS_TABLE,
  PRODUCT_VERSIONS_TABLE,
} from './ProductStore';
export type { CurrentProduct, ProductSubmission } from './ProductStore';
