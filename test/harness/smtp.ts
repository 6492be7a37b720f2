/**
 * A real SMTP server on loopback (`smtp-server`, nodemailer's authors) for tests: implicit TLS
 * (`smtps`, like port 465) or STARTTLS (like 587), with a certificate from the test CA (hand
 * `caFile` to the bundle as NODE_EXTRA_CA_CERTS) and PLAIN/LOGIN authentication that refuses
 * to authenticate before TLS. Received mail is parsed with `mailparser`.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { issueCert, testCa } from './https.js';

export interface SmtpStandin {
  /** smtps://user:pass@127.0.0.1:port or smtp://…, ready for the smtp-url input. */
  url: string;
  user: string;
  password: string;
  caFile: string;
  mails: Array<ParsedMail & { envelope: { from: string; to: string[] }; secure: boolean }>;
  authFailures: number;
  /** Answer the next n messages with this SMTP code (e.g. 451 transient, 550 final). */
  rejectNext(times: number, code: number): void;
  close(): Promise<void>;
}

export async function startSmtp(options: { mode: 'tls' | 'starttls'; password?: string }): Promise<SmtpStandin> {
  const user = 'releases';
  const password = options.password ?? `p@ss:${Math.random().toString(36).slice(2)}/#`;
  const { cert, key } = issueCert();
  const mails: SmtpStandin['mails'] = [];
  let authFailures = 0;
  let reject = { times: 0, code: 0 };
  const server = new SMTPServer({
    secure: options.mode === 'tls',
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      authFailures++;
      const error = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (reject.times > 0) {
          reject.times--;
          return callback(Object.assign(new Error(reject.code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: reject.code }));
        }
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            mails.push(Object.assign(mail, {
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              secure: session.secure,
            }));
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const scheme = options.mode === 'tls' ? 'smtps' : 'smtp';
  return {
    url: `${scheme}://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    user,
    password,
    caFile: testCa().caFile,
    mails,
    get authFailures() {
      return authFailures;
    },
    rejectNext: (times, code) => void (reject = { times, code }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
