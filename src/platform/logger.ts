import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Query parameters that carry a secret (a sign-in link's token, an OpenID code and state): never written to the log. */
const SECRET_PARAMS = /([?&](?:token|code|state|session_state)=)[^&#]*/gi;
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[redacted]');

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    serializers: {
      req: (req: { method?: string; url?: string; host?: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(String(req.url ?? '')),
        host: req.host ?? req.hostname,
        remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
      censor: '[redacted]',
    },
  });
}
