export { RunsContent } from './RunsContent';
