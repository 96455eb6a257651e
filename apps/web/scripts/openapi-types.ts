import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../../server/src/app.js';
import { loadSettings } from '../../server/src/settings.js';

/** Where the generated types live, beside the client that uses them. */
export const API_TYPES_FILE = new URL('../src/shared/api/openapi.generated.ts', import.meta.url);

const HEADER = `// Generated from the server's /openapi.json by \`npm run generate:api\`: do not edit.
// apps/web/test/openapi-types.test.ts fails when the server's document and this file differ.

`;

/** The server's OpenAPI document, from the app built in-process on a throwaway data folder. */
export async function serverOpenApiDocument(): Promise<OpenAPI3> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waitroom-openapi-'));
  try {
    const settings = loadSettings({
      DATA_DIR: dataDir,
      ADMIN_TOKEN: 'openapi-generator-token-0000',
      DEMO_ROOM: 'false',
    });
    const app = await buildApp({ settings, logger: false, background: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
      return res.json<OpenAPI3>();
    } finally {
      await app.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript text openapi-typescript makes of the server's document. */
export async function generateApiTypes(): Promise<string> {
  const doc = await serverOpenApiDocument();
  const ast = await openapiTS(doc, { alphabetize: true });
  return HEADER + astToString(ast);
}
