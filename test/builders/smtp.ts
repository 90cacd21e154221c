// A minimal SMTP client for the e2e tests: one message per connection, over plain TCP to the local
// listener (lib/local/smtp-inbound.ts), as swaks or any mail client would send it.
import { connect } from 'node:net';

/** Sends one message; resolves to the server's last reply (e.g. "250 OK: message queued"). */
export function sendSmtp(port: number, o: { from: string; to: string[]; data: string }): Promise<string> {
  const commands = [
    'EHLO e2e.test',
    `MAIL FROM:<${o.from}>`,
    ...o.to.map((t) => `RCPT TO:<${t}>`),
    'DATA',
    // Dot-stuffing, CRLF line ends, and the terminating dot.
    `${o.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.`,
    'QUIT',
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    let step = -1; // the greeting first
    let last = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // A reply is complete when its last line has a space after the code.
      while (/^\d{3} .*\r\n/m.test(buffer)) {
        const end = buffer.search(/^\d{3} .*\r\n/m);
        const lineEnd = buffer.indexOf('\r\n', end) + 2;
        const reply = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd);
        const code = Number(reply.slice(end, end + 3));
        if (step === commands.indexOf('DATA') + 1 || code >= 400) last = reply.slice(end).trim();
        if (code >= 400) {
          socket.end();
          resolve(last);
          return;
        }
        step++;
        if (step < commands.length) socket.write(`${commands[step]}\r\n`);
        else socket.end();
      }
    });
    socket.on('end', () => resolve(last));
    socket.on('error', reject);
  });
}

/** An RFC 5322 message; attachments base64-encoded in a multipart/mixed body. */
export function rfc5322(o: {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  headers?: string[];
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}): string {
  const head = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@e2e.test>`,
    'MIME-Version: 1.0',
    ...(o.headers ?? []),
  ];
  const bodyPart =
    o.html !== undefined
      ? ['Content-Type: text/html; charset=utf-8', '', o.html]
      : ['Content-Type: text/plain; charset=utf-8', '', o.text ?? ''];
  if (!o.attachments?.length) return [...head, ...bodyPart].join('\n');
  const parts = o.attachments.map((a) =>
    [
      '--b1',
      `Content-Type: ${a.contentType}; name="${a.filename}"`,
      `Content-Disposition: attachment; filename="${a.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.content.toString('base64').replace(/.{76}/g, '$&\n'),
    ].join('\n'),
  );
  return [...head, 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', ...bodyPart, ...parts, '--b1--', ''].join('\n');
}
