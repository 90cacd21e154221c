// Functions that neither serve a route nor run a workflow step: each is invoked by an AWS event
// source (lib/mail-feedback.ts). Plain data, like lib/api-routes.ts and lib/workflow-states.ts, so
// tests and the local runtime read it without CDK.

/** Event handlers: one Lambda function each, at functions/handlers/events/<name>.ts. */
export const EventHandler = {
  /** SES bounce and complaint notifications, through the configuration set's SNS topic. */
  MailFeedback: 'mail-feedback',
  /** Received mail: SES receiving's Lambda action, after its S3 action (lib/inbound-mail.ts); only with inboundDomain. */
  InboundMail: 'inbound-mail',
} as const;

export type EventHandlerName = (typeof EventHandler)[keyof typeof EventHandler];

export const eventHandlerEntry = (name: EventHandlerName): string => `functions/handlers/events/${name}.ts`;
