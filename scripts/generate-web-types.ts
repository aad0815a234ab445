// Writes web/src/generated/api.ts from the server's OpenAPI document (see web-api-types.ts). Run it after
// changing a route or a shape the API shows; test/http/web-api-types.test.ts fails until it has run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateWebApiTypes, WEB_API_TYPES_FILE } from './web-api-types.ts';

mkdirSync(path.dirname(WEB_API_TYPES_FILE), { recursive: true });
writeFileSync(WEB_API_TYPES_FILE, await generateWebApiTypes());
console.log(`wrote ${path.relative(process.cwd(), WEB_API_TYPES_FILE)}`);
