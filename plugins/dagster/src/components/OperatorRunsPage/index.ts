export { OperatorRunsPage } from './OperatorRunsPage';
