import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { API_TYPES_FILE, generateApiTypes } from './openapi-types.js';

/** Writes the web app's API types from the server's OpenAPI document: `npm run generate:api`. */
await writeFile(API_TYPES_FILE, await generateApiTypes());
process.stdout.write(`wrote ${fileURLToPath(API_TYPES_FILE)}\n`);
