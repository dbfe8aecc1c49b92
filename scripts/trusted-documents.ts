import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { platformSchema } from '../src/app.js';
import { documentHash } from '../src/platform/graphql/trusted-documents.js';

/**
 * npm run trusted-documents -- <file.graphql | folder>... > trusted-documents.json
 *
 * Builds the TRUSTED_DOCUMENTS manifest from a client's operations: one document per .graphql file,
 * its exact text, keyed by `sha256:<hex>`, the documentId clients send (the form GraphQL Code
 * Generator's client preset writes too). Each must validate against this server's schema, so a client
 * built against an older schema is caught at release time, not by its users.
 */
const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  process.stderr.write('usage: npm run trusted-documents -- <file.graphql | folder>... > trusted-documents.json\n');
  process.exit(2);
}
const files = inputs.flatMap((input) => graphqlFiles(path.resolve(input)));
const schema = await platformSchema();
const manifest: Record<string, string> = {};
let invalid = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const errors = validate(schema, parse(text));
  if (errors.length > 0) {
    invalid += 1;
    process.stderr.write(`${file}: ${errors.map((e) => e.message).join('; ')}\n`);
    continue;
  }
  manifest[`sha256:${documentHash(text)}`] = text;
}
if (invalid > 0) process.exit(1);
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
process.stderr.write(`${Object.keys(manifest).length} trusted documents from ${files.length} files\n`);

function graphqlFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) return graphqlFiles(full);
    return entry.name.endsWith('.graphql') || entry.name.endsWith('.gql') ? [full] : [];
  });
}
