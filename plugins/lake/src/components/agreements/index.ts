export { AccessAgreementsPage } from './AccessAgreementsPage';
export { ProductAccessCard } from './ProductAccessCard';
export type { ProductAccessCardProps } from './ProductAccessCard';
export {
  InputPortAccessCard,
  InputPortAccessNotice,
} from './InputPortAccessNotice';
export type { InputPortAccessNoticeProps } from './InputPortAccessNotice';
export { crossTenantInputs } from './lib';
