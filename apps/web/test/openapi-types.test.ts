import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../scripts/openapi-types.js';

describe("the web app's API types", () => {
  it("are those of the server's /openapi.json as it is now (run `npm run generate:api` after changing the API)", async () => {
    const expected = await generateApiTypes();
    const actual = await readFile(API_TYPES_FILE, 'utf8');
    // Compared as text: a difference means the pages are typed against an API that is no more.
    expect(actual, 'openapi.generated.ts is out of date: run `npm run generate:api`').toBe(expected);
  });
});
