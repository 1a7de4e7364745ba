export { QueryContent, starterQueries } from './QueryContent';
