export { QualityContent } from './QualityContent';
