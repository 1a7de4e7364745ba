// Shared with the query plugin's schema browser: the colours and labels live in akili-react.
export {
  CLASSIFICATIONS,
  classificationColors,
  classificationLabel,
  severityColors,
} from '@akili/plugin-akili-react';
export type { ChipColors } from '@akili/plugin-akili-react';
