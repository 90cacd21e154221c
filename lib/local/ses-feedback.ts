// The local SES stand-in's bounce and complaint notifications. aws-ses-v2-local delivers nothing and
// publishes no events, so `POST /_local/bounce` (lib/local/dev-routes.ts) builds what SES would
// publish through the configuration set's SNS topic and queue on AWS, and hands it to the same mail-feedback
// handler (functions/handlers/events/mail-feedback.ts).

export type FeedbackKind = 'bounce' | 'complaint';

/** A Bounce (permanent) or Complaint event as SES's event publishing writes it, with the mail's tags. */
export function sesNotification(o: { email: string; caseId: string; kind: FeedbackKind; at: string }): object {
  const recipients = [{ emailAddress: o.email }];
  return {
    eventType: o.kind === 'bounce' ? 'Bounce' : 'Complaint',
    mail: {
      timestamp: o.at,
      source: 'cvd@localhost.test',
      messageId: `local-${Date.parse(o.at).toString(36)}`,
      destination: [o.email],
      // SendEmail's Tags (functions/app/mail.ts), as SES echoes them; the stand-in keeps none, so the
      // route names the case itself.
      tags: { 'ses:configuration-set': ['local'], case: [o.caseId] },
    },
    ...(o.kind === 'bounce'
      ? {
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: recipients.map((r) => ({ ...r, action: 'failed', status: '5.1.1' })),
            timestamp: o.at,
          },
        }
      : { complaint: { complainedRecipients: recipients, complaintFeedbackType: 'abuse', timestamp: o.at } }),
  };
}

/** One delivery of the feedback queue to its function: the notification as the message body (SNS raw delivery). */
export const queueDelivery = (notification: object, at: string) => ({
  Records: [
    {
      messageId: `local-${Date.parse(at).toString(36)}`,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:MailFeedback',
      body: JSON.stringify(notification),
      attributes: { SentTimestamp: String(Date.parse(at)) },
    },
  ],
});

/** The case a message to this address was about: the `[VU-…]` its newest subject starts with (the stand-in keeps no tags). */
export function caseOfNewestMailTo(
  email: string,
  mails: readonly { at: number; subject?: string; destination?: { to?: string[] } }[],
): string | null {
  const to = email.trim().toLowerCase();
  const newest = mails.filter((m) => (m.destination?.to ?? []).some((x) => x.trim().toLowerCase() === to)).sort((a, b) => b.at - a.at)[0];
  return /^\[([A-Za-z0-9_-]{1,64})\]/.exec(newest?.subject ?? '')?.[1] ?? null;
}
