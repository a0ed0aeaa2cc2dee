import pino, { type Logger } from 'pino';
import { maskPersonnummer, maskDeep } from './privacy/mask.js';

export type Log = Logger;

/**
 * Structured logging. Every message and every logged object passes through the personnummer
 * mask, so a careless `log.info({ text })` cannot leak one.
 */
export function createLog(level: string, destination?: pino.DestinationStream): Log {
  return pino(
    {
      level,
      base: { app: 'websesam-hjalpen' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) =>
            typeof a === 'string' ? maskPersonnummer(a) : maskDeep(a),
          );
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      redact: {
        paths: ['*.password', '*.MicrosoftAppPassword', 'req.headers.authorization'],
        censor: '[hemligt]',
      },
    },
    destination,
  );
}
