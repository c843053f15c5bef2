import nodemailer from 'nodemailer';
import type { Logger } from '../platform/logger.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Sends through the SMTP server of `NDP_SMTP_URL` (`nodemailer`). Without one (development, a first `npm start`)
 * the mail is written to the log instead, link included, and the log says so: nobody is left waiting for a mail
 * that no server will send.
 */
export function createMailer(o: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  if (!o.smtpUrl) {
    return {
      async send(mail) {
        o.logger.info(
          { to: mail.to, subject: mail.subject },
          `NDP_SMTP_URL is not set: this e-mail is written here instead of being sent\n${mail.text}`,
        );
      },
    };
  }
  const transport = nodemailer.createTransport(o.smtpUrl);
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: o.from, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (err) {
        o.logger.error({ err, to: mail.to }, 'an e-mail could not be sent');
        throw err;
      }
    },
  };
}
