// The case store: one table for snapshots, event commits, grants, notes, idempotency and the CVE
// pool (docs/architecture.md "The case store"). The key names come from the adapters' layout file, the one
// functions/ module lib/ may import, so the table and the code that reads it cannot drift.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  BY_PUBLISHED_DATE_INDEX,
  BY_PUBLISHED_DATE_PARTITION_KEY,
  BY_PUBLISHED_DATE_SORT_KEY,
  BY_PHASE_DEADLINE_INDEX,
  BY_PHASE_DEADLINE_PARTITION_KEY,
  BY_PHASE_DEADLINE_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
} from '../functions/adapters/table-layout.js';

export class CaseTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // The event log is the source of truth of every case: never let a stack update delete it.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    // The coordinator queue: sparse, only a case's small summary item carries GSI1PK (never its state).
    this.table.addGlobalSecondaryIndex({
      indexName: BY_PHASE_DEADLINE_INDEX,
      partitionKey: { name: BY_PHASE_DEADLINE_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: BY_PHASE_DEADLINE_SORT_KEY, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // The public feed: only published notes carry GSI2PK, newest first by GSI2SK.
    this.table.addGlobalSecondaryIndex({
      indexName: BY_PUBLISHED_DATE_INDEX,
      partitionKey: { name: BY_PUBLISHED_DATE_PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: BY_PUBLISHED_DATE_SORT_KEY, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
