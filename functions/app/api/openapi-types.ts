// The shape of one route in the OpenAPI lists (openapi-operations.ts and its parts).
export type Json = Record<string, unknown>;
type Auth = 'public' | 'token' | 'coordinator';

export interface Operation {
  method: 'get' | 'post' | 'put';
  path: string;
  auth: Auth;
  operationId: string;
  summary: string;
  description?: string;
  request?: string;
  requestOptional?: boolean;
  status: number;
  response?: string;
  /** Responses that are not one of our schemas (public notes, feeds). */
  content?: Json;
  query?: { name: string; description: string; schema: Json }[];
  headers?: { name: string; description: string }[];
  problems: number[];
}
