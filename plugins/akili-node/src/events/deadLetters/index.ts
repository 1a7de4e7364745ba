export {
  DEFAULT_DEAD_LETTERS_TABLE,
  createDeadLettersTable,
  dropDeadLettersTable,
} from './deadLettersTable';
export {
  AKILI_DEAD_LETTER_RECORDER_GROUP_ID,
  DeadLetterRecorder,
} from './DeadLetterRecorder';
export type { DeadLetterRecorderOptions } from './DeadLetterRecorder';
export { AKILI_RETRY_OF_HEADER, DeadLetterStore } from './DeadLetterStore';
export type { DeadLetterRetryOptions } from './DeadLetterStore';
