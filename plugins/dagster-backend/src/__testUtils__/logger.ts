import { LoggerService } from '@backstage/backend-plugin-api';

/** One log call of the plugin. */
export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
}

/** A logger that keeps what the plugin logs, to assert on it. */
export function recordingLogger(entries: LogEntry[]): LoggerService {
  const record =
    (level: LogEntry['level']) => (message: string, meta?: unknown) => {
      entries.push({ level, message, meta });
    };
  const logger: LoggerService = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return logger;
}
