import { describe, expect, it } from 'vitest';
import {
  addressed,
  cleanText,
  htmlToText,
  isPgp,
  loopReason,
  replyLocalPart,
  titleOf,
  trimQuoted,
} from '../../functions/domain/inbound-mail.js';

describe('trimQuoted', () => {
  it('keeps what the reply adds above an "On … wrote:" line and drops the quote', () => {
    const text =
      'We will ship a fix on Friday.\n\nOn Mon, 30 Nov 2026 at 10:00, CVD <case+vu-1@x.test> wrote:\n> Please confirm\n> the issue';
    expect(trimQuoted(text)).toBe('We will ship a fix on Friday.');
  });
  it('handles an "On … wrote:" line wrapped over two lines and other languages', () => {
    expect(trimQuoted('Fixed.\nOn Mon, 30 Nov 2026, someone\n<a@b.test> wrote:\n> old')).toBe('Fixed.');
    expect(trimQuoted('Corrigé.\n\nLe lun. 30 nov. 2026, X a écrit :\n> vieux')).toBe('Corrigé.');
  });
  it('cuts at Outlook and "Original Message" separators and header blocks', () => {
    expect(trimQuoted('Yes.\r\n-----Original Message-----\r\nFrom: a\r\nold')).toBe('Yes.');
    expect(trimQuoted('Yes.\n________________________________\nFrom: CVD\nSent: today')).toBe('Yes.');
    expect(trimQuoted('Yes.\n\nFrom: CVD <cvd@x.test>\nSent: today\nold')).toBe('Yes.');
  });
  it('drops a trailing run of > lines, keeps interleaved quotes above new text', () => {
    expect(trimQuoted('> question?\nanswer\n\n> more\n>\n')).toBe('> question?\nanswer');
  });
  it('keeps a message that is all quote rather than losing it', () => {
    expect(trimQuoted('> only a quote')).toBe('> only a quote');
  });
});

describe('htmlToText', () => {
  it('drops scripts, styles and comments with their content, keeps text and line structure', () => {
    const html =
      '<html><head><style>p{}</style><title>t</title></head><body><p>Hello <b>there</b></p><script>alert(1)</script><!-- x --><div>line&nbsp;2<br>line 3</div></body></html>';
    expect(htmlToText(html)).toBe('Hello there\nline 2\nline 3');
  });
  it('decodes entities into text, which stays text', () => {
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x41;&#66;')).toBe('<script>alert(1)</script> & AB');
  });
  it('survives unterminated tags and comments', () => {
    expect(htmlToText('a <b')).toBe('a');
    expect(htmlToText('a <!-- never closed')).toBe('a');
    expect(htmlToText('<script>never closed')).toBe('');
  });
});

describe('loopReason', () => {
  const own = ['security@cvd.test', 'cvd@cvd.test'];
  it('drops auto-replies, bulk mail, bounces and our own mail', () => {
    expect(loopReason({ 'auto-submitted': 'auto-replied' }, 'a@b.test', own)).toBe('auto-submitted');
    expect(loopReason({ 'auto-submitted': 'no' }, 'a@b.test', own)).toBeNull();
    expect(loopReason({ precedence: 'bulk' }, 'a@b.test', own)).toBe('bulk');
    expect(loopReason({ precedence: 'auto_reply' }, 'a@b.test', own)).toBe('bulk');
    expect(loopReason({ 'x-autoreply': 'yes' }, 'a@b.test', own)).toBe('auto-reply');
    expect(loopReason({ 'return-path': '<>' }, 'a@b.test', own)).toBe('bounce');
    expect(loopReason({}, 'MAILER-DAEMON@b.test', own)).toBe('bounce');
    expect(loopReason({ 'content-type': 'multipart/report; report-type=delivery-status' }, 'x@b.test', own)).toBe('bounce');
    expect(loopReason({}, 'Security@CVD.test', own)).toBe('own-address');
  });
  it('lets ordinary mail through', () => {
    expect(loopReason({ 'return-path': '<alice@b.test>', precedence: '' }, 'alice@b.test', own)).toBeNull();
  });
});

describe('addresses', () => {
  it('tells the intake address, a reply address and anything else apart', () => {
    const rid = 'abcdefghijklmnopqrstuvwxyz';
    expect(addressed('Security@cvd.test', 'cvd.test', 'security@cvd.test')).toEqual({ kind: 'intake' });
    expect(addressed(`${replyLocalPart('VU-ABC12345', rid)}@cvd.test`, 'cvd.test', 'security@cvd.test')).toEqual({
      kind: 'reply',
      route: { caseId: 'VU-ABC12345', routingId: rid },
    });
    expect(addressed(`${replyLocalPart('VU-ABC12345', rid)}@evil.test`, 'cvd.test', 'security@cvd.test')).toEqual({ kind: 'other' });
    expect(addressed('case+vu-abc.short@cvd.test', 'cvd.test', 'security@cvd.test')).toEqual({ kind: 'other' });
  });
});

describe('text cleaning', () => {
  it('makes a subject one clean line without reply prefixes', () => {
    expect(titleOf('Re: Fwd: SQL injection\r\nBcc: victim@x.test')).toBe('SQL injection Bcc: victim@x.test');
    expect(titleOf('\u202eevil\u202c')).toBe('evil');
    expect(titleOf('x'.repeat(500))).toHaveLength(200);
  });
  it('removes control characters but newline and tab', () => {
    expect(cleanText('a\u0000b\tc\r\nd', true)).toBe('ab\tc\nd');
  });
  it('recognises OpenPGP mail', () => {
    expect(isPgp('multipart/encrypted; protocol="application/pgp-encrypted"', '')).toBe(true);
    expect(isPgp('text/plain', 'hi\n-----BEGIN PGP MESSAGE-----\nabc')).toBe(true);
    expect(isPgp('text/plain', 'hi')).toBe(false);
  });
});
