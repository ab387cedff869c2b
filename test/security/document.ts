// The served OpenAPI document, read the way the security suite needs it: every operation, whether it is
// public (`security: []`), its parameters and the fields its body takes.
import { OPERATIONS, Operation } from './operations';

type Json = Record<string, any>;

export interface DocumentedOperation {
  /** "METHOD /path", the table's key. */
  key: string;
  method: string;
  path: string;
  public: boolean;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; schema: Json }>;
  /** The media types of its request body, if it takes one. */
  bodyTypes: string[];
  /** The properties of its request body's schema (JSON or multipart). */
  bodyFields: Record<string, Json>;
  table: Operation;
}

export async function fetchDocument(url: string): Promise<Json> {
  const response = await fetch(`${url}/docs-json`);
  if (!response.ok) throw new Error(`GET /docs-json answered ${response.status}`);
  return (await response.json()) as Json;
}

/** The document's operations in document order; those the table misses have no `table` and fail `assertCovered`. */
export function operationsOf(document: Json): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      const key = `${method.toUpperCase()} ${path}`;
      const content: Json = operation.requestBody?.content ?? {};
      const schema = resolve(document, Object.values<Json>(content)[0]?.schema ?? {});
      operations.push({
        key,
        method: method.toUpperCase(),
        path,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        parameters: (operation.parameters ?? []).map((parameter: Json) => ({ ...parameter, schema: resolve(document, parameter.schema ?? {}) })),
        bodyTypes: Object.keys(content),
        bodyFields: schema.properties ?? {},
        table: OPERATIONS[key],
      });
    }
  }
  return operations;
}

/** The table describes exactly the documented operations: none forgotten, none stale. */
export function coverageProblems(operations: DocumentedOperation[]): string[] {
  const documented = new Set(operations.map((operation) => operation.key));
  return [
    ...[...documented].filter((key) => !OPERATIONS[key]).map((key) => `${key} is in the document but not in test/security/operations.ts`),
    ...Object.keys(OPERATIONS).filter((key) => !documented.has(key)).map((key) => `${key} is in test/security/operations.ts but not in the document`),
  ];
}

function resolve(document: Json, schema: Json): Json {
  if (typeof schema.$ref !== 'string') return schema;
  const target = schema.$ref.replace(/^#\//, '').split('/').reduce((node: Json, part: string) => node?.[part], document);
  return resolve(document, target ?? {});
}
