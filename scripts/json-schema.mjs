#!/usr/bin/env node
// `npm run schema`: writes schema/data-map.schema.json (shipped in the package, for editors)
// from the built code. test/unit/config/json-schema.test.ts fails when the file is stale.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataMapJsonSchema } from '../dist/src/config/json-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'schema', 'data-map.schema.json');
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify(dataMapJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(root, file)}\n`);
