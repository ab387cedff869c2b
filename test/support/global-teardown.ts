import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TEST_PGLITE_TEMPLATE;
  if (template) rmSync(template, { recursive: true, force: true });
}
