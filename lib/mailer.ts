// Outgoing e-mail: the SES identity we send from and a configuration set, so that sending can be
// scoped in IAM to exactly this identity and set, and bounces/complaints can be routed later.
import { Stack, ArnFormat } from 'aws-cdk-lib';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailerProps {
  readonly senderEmail: string;
  /** Verify the whole domain (DKIM) instead of the single address. */
  readonly senderDomain?: string;
}

export class Mailer extends Construct {
  readonly senderEmail: string;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** The identity SES authorizes a send against: the domain, or the address itself. */
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    const senderDomain = props.senderDomain;
    if (senderDomain !== undefined && !props.senderEmail.toLowerCase().endsWith(`@${senderDomain.toLowerCase()}`)) {
      throw new Error(`senderEmail ${props.senderEmail} is not an address of senderDomain ${senderDomain}`);
    }
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: senderDomain === undefined ? Identity.email(props.senderEmail) : Identity.domain(senderDomain),
    });
    // Mail carries embargoed vulnerability details: never deliver it over a plain-text hop.
    // Addresses that bounce or complain are suppressed, and reputation is tracked, as SES advises.
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    this.configurationSetName = this.configurationSet.configurationSetName;
    this.identityArn = this.identity.emailIdentityArn;
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
