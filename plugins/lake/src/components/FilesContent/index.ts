export { FilesContent } from './FilesContent';
