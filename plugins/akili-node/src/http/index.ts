export {
  cursorParam,
  limitParam,
  parseRequest,
  SERIAL_ID_PATTERN,
} from './parseRequest';
