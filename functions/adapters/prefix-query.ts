// Every item of one partition whose sort key starts with a prefix, read to the end with
// consistent reads: the file records of a case, the case links of a directory organisation.
import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { fromAttributes, toAttributes } from './attribute-values.js';
import { PARTITION_KEY, SORT_KEY } from './table-layout.js';

export async function queryPrefix<T>(client: DynamoDBClient, tableName: string, pk: string, prefix: string): Promise<T[]> {
  const out: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
        ExpressionAttributeValues: toAttributes({ ':pk': pk, ':prefix': prefix }),
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: toAttributes(start) } : {}),
      }),
    );
    out.push(...(page.Items ?? []).map((i) => fromAttributes<T>(i)));
    start = page.LastEvaluatedKey ? fromAttributes(page.LastEvaluatedKey) : undefined;
  } while (start);
  return out;
}
