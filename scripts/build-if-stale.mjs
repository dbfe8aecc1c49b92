// Builds dist/ only when a TypeScript source changed since the last build, so a script that needs
// nothing else (npm run token) starts in well under a second instead of after tsc's several seconds.
// Plain JavaScript, since it runs before there is a build. The stamp is the one the test suite's
// builds write (tests/support/server-process.ts): either build counts for the other.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.built-from-sources-of');

/** Newest modification time of the .ts files under `target`. */
function newestSource(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return target.endsWith('.ts') ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry !== 'node_modules' && !entry.startsWith('.')) newest = Math.max(newest, newestSource(path.join(target, entry)));
  }
  return newest;
}

const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

// Exits with one line on a Node.js older than package.json's engines.
createRequire(import.meta.url)('./check-node.cjs');

const { include } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
const sources = Math.max(
  mtime(path.join(root, 'tsconfig.json')),
  mtime(path.join(root, 'tsconfig.build.json')),
  ...include.map((folder) => newestSource(path.join(root, folder))),
);
if (mtime(STAMP) > sources) process.exit(0);

const startedAt = Date.now();
const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
// Stamped with the build's start: a source saved while tsc ran makes the next call build again.
fs.writeFileSync(STAMP, `${new Date(startedAt).toISOString()}\n`);
fs.utimesSync(STAMP, startedAt / 1000, startedAt / 1000);
