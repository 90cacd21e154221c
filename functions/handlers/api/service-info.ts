export async function handler(event: unknown): Promise<unknown> {
  throw new Error('not implemented yet: service-info');
}
