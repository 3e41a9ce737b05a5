import { SILENT_LOGS_VARIABLE } from './constants';

/** One JSON line per event, so CloudWatch Logs Insights can query the fields. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  if (process.env[SILENT_LOGS_VARIABLE] === 'true') return;
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'info') console.log(line);
  else if (level === 'warn') console.warn(line);
  else console.error(line);
}
