// Who a message reaches. A coordinator names an audience; the decider resolves it, once, into the
// recipients it stands for at that moment (the reporter, a list of vendor ids), and the message
// keeps both. Whether a reader may read a message is then a function of the message and the
// reader's identity alone: the writer reads their own, a recipient reads what names them, and
// coordinators read everything. Nothing else decides it.
import type { FileRef } from './file-ref.js';

/** Who wrote a message (the events' Actor, kept structural so the events can import this module). */
export interface Writer {
  role: string;
  participant?: string;
}

/** What a coordinator may address: a group, or named vendors. */
export const AUDIENCE_GROUPS = ['reporter', 'vendors', 'downstream', 'everyone', 'internal'] as const;
export type AudienceGroup = (typeof AUDIENCE_GROUPS)[number];
export type AudienceInput = AudienceGroup | { vendorIds: string[] };

/**
 * A message's audience as recorded: 'coordinators' for what a reporter or vendor writes, a group or
 * 'selected' (named vendors) for a coordinator's, and 'participants' in logs from before audiences
 * (a coordinator's comment to every participant).
 */
export type Audience = 'coordinators' | 'participants' | AudienceGroup | 'selected';

/** The participants a message reaches, besides its writer and the coordinators. */
export interface Recipients {
  reporter: boolean;
  vendorIds: string[];
}
const NO_RECIPIENTS: Readonly<Recipients> = { reporter: false, vendorIds: [] };

/** Who reads: the case's reporter, one vendor, or the coordinators. */
export type MessageReader = { kind: 'reporter' } | { kind: 'vendor'; vendorId: string } | { kind: 'coordinators' };

/** A reader's key in stored items: 'reporter', 'vendor:<id>' or 'coordinators'. */
export const readerKey = (r: MessageReader): string => (r.kind === 'vendor' ? `vendor:${r.vendorId}` : r.kind);

export function readerOf(actor: Writer): MessageReader {
  if (actor.role === 'reporter') return { kind: 'reporter' };
  if (actor.role === 'vendor' && actor.participant) return { kind: 'vendor', vendorId: actor.participant };
  return { kind: 'coordinators' };
}

/** What membership needs of a message: its writer, its audience and, once resolved, its recipients. */
export interface Addressed {
  by: Writer;
  audience: Audience;
  to?: Recipients;
}

/** The reader wrote it. */
export function isOwn(m: Addressed, r: MessageReader): boolean {
  if (r.kind === 'reporter') return m.by.role === 'reporter';
  if (r.kind === 'vendor') return m.by.role === 'vendor' && m.by.participant === r.vendorId;
  return m.by.role === 'coordinator';
}

/** The message names the reader among its recipients. */
export function reaches(m: Addressed, r: MessageReader): boolean {
  if (r.kind === 'coordinators') return true;
  if (m.audience === 'participants') return m.by.role === 'coordinator';
  const to = m.to ?? NO_RECIPIENTS;
  return r.kind === 'reporter' ? to.reporter : to.vendorIds.includes(r.vendorId);
}

export const canRead = (m: Addressed, r: MessageReader): boolean => isOwn(m, r) || reaches(m, r);

/** Every reader of a message but the coordinators: its writer and its recipients, once each. */
export function participantReaders(m: Addressed): MessageReader[] {
  const out: MessageReader[] = [];
  const writer = readerOf(m.by);
  if (writer.kind !== 'coordinators') out.push(writer);
  const to = m.to ?? NO_RECIPIENTS;
  if (to.reporter && writer.kind !== 'reporter') out.push({ kind: 'reporter' });
  for (const vendorId of to.vendorIds)
    if (!(writer.kind === 'vendor' && writer.vendorId === vendorId)) out.push({ kind: 'vendor', vendorId });
  return out;
}

/** A message as a reporter or a vendor reads it. */
export interface ReaderMessage {
  messageId: string | null;
  at: string;
  /** 'coordinator', 'reporter', 'vendor', or 'you' for the reader's own. */
  from: string;
  kind: 'comment' | 'information';
  body: string;
  onDraft: boolean;
  inReplyTo: string | null;
  threadId: string | null;
  /** The files the message carries (fetched one by one, each through its own short-lived link). */
  files: FileRef[];
  /** Written by someone else after the reader last opened their list. */
  unread: boolean;
}
