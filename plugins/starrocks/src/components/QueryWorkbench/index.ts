export { QueryWorkbench } from './QueryWorkbench';
export type { StarterQuery } from './QueryWorkbench';
