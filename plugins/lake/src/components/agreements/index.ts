export { AccessAgreementsPage } from './AccessAgreementsPage';
export { ProductAccessCard } from './ProductAccessCard';
export type { ProductAccessCardProps } from './ProductAccessCard';
export { InputPortAccessNotice } from './InputPortAccessNotice';
export type { InputPortAccessNoticeProps } from './InputPortAccessNotice';
export { crossTenantInputs } from './lib';
