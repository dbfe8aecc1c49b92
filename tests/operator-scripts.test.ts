import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { startEmbeddedPostgres } from '../src/platform/database/embedded.js';
import { createDatabaseIfMissing, dropDatabase } from '../src/platform/database/database-setup.js';
import { withDatabase } from '../src/platform/database/urls.js';
import { Role, startTestApp, testConfig, type TestApp } from './support/app.js';
import { freePort } from './support/server-process.js';
import { DEMO_UNITS } from '../seeds/demo-units.js';

/**
 * The small frictions of issue 22 item 8, each through what an operator runs: `npm run token` builds
 * only when a source changed, an old Node.js is told in one line what to install, the embedded
 * PostgreSQL will not quietly share another checkout's cluster, and a second seed:national ends in a
 * sentence.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cus-operator-'));
const log = createLogger('silent');
let app: TestApp;

/** Runs a script with this Node.js; its exit code and output. */
function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: options.cwd ?? projectRoot,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  // dist/ as npm run token leaves it (built only if a source changed); seed:national runs from it too.
  expect(run(['scripts/build-if-stale.mjs']).status).toBe(0);
  app = await startTestApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('builds only when a TypeScript source is newer than the last build', () => {
    // A project of one source file, with this project's scripts and compiler settings.
    const project = path.join(scratch, 'project');
    fs.mkdirSync(path.join(project, 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(project, 'src'));
    for (const file of ['package.json', 'tsconfig.json', 'scripts/build-if-stale.mjs', 'scripts/check-node.cjs']) {
      fs.copyFileSync(path.join(projectRoot, file), path.join(project, file));
    }
    fs.writeFileSync(
      path.join(project, 'tsconfig.build.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: '.' }, include: ['src'] }),
    );
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(project, 'node_modules'));
    const source = path.join(project, 'src', 'hello.ts');
    const output = path.join(project, 'dist', 'src', 'hello.js');
    fs.writeFileSync(source, `export const hello: string = 'one';\n`);

    expect(run(['scripts/build-if-stale.mjs'], { cwd: project }).status).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toContain(`'one'`);
    // Nothing changed: no build, so an output removed behind its back is not made again.
    fs.rmSync(output);
    expect(run(['scripts/build-if-stale.mjs'], { cwd: project }).status).toBe(0);
    expect(fs.existsSync(output)).toBe(false);
    // A source saved after the build: built again.
    fs.writeFileSync(source, `export const hello: string = 'two';\n`);
    const later = fs.statSync(path.join(project, 'dist', '.built-from-sources-of')).mtimeMs / 1000 + 2;
    fs.utimesSync(source, later, later);
    expect(run(['scripts/build-if-stale.mjs'], { cwd: project }).status).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toContain(`'two'`);
  });

  it('prints a token the server accepts, for staff with the unit serving the gminy given', async () => {
    // The database the suite's server uses, as DATABASE_URL would name it.
    const env = { DEV_KEY_FILE: testConfig.devKeyFile, DATABASE_URL: inject('ownerUrl') };
    const printed = run(['dist/scripts/token.js', '--role', 'COORDINATOR', '--gmina', '1417082'], { env });
    expect(printed.status).toBe(0);
    const response = await app.gql(printed.stdout.trim(), '{ viewer { role gminy { terc } } }');
    expect(response.body.data).toEqual({ viewer: { role: Role.COORDINATOR, gminy: [{ terc: '1417082' }] } });
    // The unit named outright; and gminy no one unit serves are refused in a sentence, with no token.
    const named = run(['dist/scripts/token.js', '--role', 'DIRECTOR', '--gmina', '1417052', '--unit', DEMO_UNITS.kolbielCelestynow], { env });
    expect((await app.gql(named.stdout.trim(), '{ viewer { role } }')).status).toBe(200);
    const apart = run(['dist/scripts/token.js', '--role', 'DIRECTOR', '--gmina', '1417082', '--gmina', '1434011'], { env });
    expect({ status: apart.status, stdout: apart.stdout }).toEqual({ status: 1, stdout: '' });
    expect(apart.stderr.trim()).toMatch(/^No CUS unit serves all of 1417082, 1434011/);
  });
});

describe('an older Node.js', () => {
  it('is told in one line which Node.js is needed and how to get it', () => {
    const project = path.join(scratch, 'old-node');
    fs.mkdirSync(path.join(project, 'scripts'), { recursive: true });
    fs.copyFileSync(path.join(projectRoot, 'scripts/check-node.cjs'), path.join(project, 'scripts/check-node.cjs'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ engines: { node: '>=99.1.0' } }));
    const refused = run(['scripts/check-node.cjs'], { cwd: project });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/needs Node\.js 99\.1\.0 or newer .*this is v\d+.*https:\/\/nodejs\.org.*nvm install 24/);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ engines: { node: '>=22.17.0' } }));
    expect(run(['scripts/check-node.cjs'], { cwd: project })).toMatchObject({ status: 0, stderr: '' });
  });

  it('cannot npm install: one refusal naming the Node.js required, not a warning per dependency', (context) => {
    const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
    if (npm.status !== 0) {
      context.skip();
      return;
    }
    // This project's manifest, lockfile and .npmrc, asking for a Node.js that does not exist yet.
    const project = path.join(scratch, 'install');
    fs.mkdirSync(project);
    const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ ...manifest, engines: { node: '>=99.1.0' } }));
    fs.copyFileSync(path.join(projectRoot, 'package-lock.json'), path.join(project, 'package-lock.json'));
    fs.copyFileSync(path.join(projectRoot, '.npmrc'), path.join(project, '.npmrc'));
    const install = spawnSync('npm', ['install', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8' });
    expect(install.status).not.toBe(0);
    expect(install.stderr).toMatch(/EBADENGINE/);
    expect(install.stderr).toMatch(/Required: \{"node":">=99\.1\.0"\}/);
    expect(install.stderr).not.toMatch(/npm warn EBADENGINE/);
  });
});

describe('the embedded PostgreSQL', () => {
  const dir = path.join(scratch, 'postgres');

  it('refuses to use another cluster answering on its port, and says so', async () => {
    // The test database's own server: a cluster with another data folder.
    const port = Number(new URL(inject('ownerUrl')).port || 5432);
    await expect(startEmbeddedPostgres(dir, port, log)).rejects.toThrow(
      new RegExp(
        `Port ${port} is taken by (another PostgreSQL cluster \\(data in .+\\), not this checkout's|something other than this checkout's embedded PostgreSQL).*EMBEDDED_PG_PORT`,
      ),
    );
    expect(fs.existsSync(path.join(dir, 'PG_VERSION'))).toBe(false);
  });

  it('refuses a port something other than PostgreSQL answers on', async () => {
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      await expect(startEmbeddedPostgres(dir, port, log)).rejects.toThrow(`Port ${port} is taken by something other than this checkout's embedded PostgreSQL`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('reuses its own cluster when another process of the checkout started it', async () => {
    const own = path.join(projectRoot, '.data', `operator-postgres-${process.pid}`);
    const port = await freePort();
    const first = await startEmbeddedPostgres(own, port, log);
    try {
      const second = await startEmbeddedPostgres(own, port, log);
      expect(second.adminUrl).toBe(first.adminUrl);
    } finally {
      await first.stop();
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('npm run seed:national', () => {
  const ownerUrl = inject('ownerUrl');
  const name = `${new URL(ownerUrl).pathname.slice(1)}_seed_twice`;
  afterAll(async () => {
    await dropDatabase(ownerUrl, name).catch(() => undefined);
  });

  it('loads once, and a second time ends in a sentence saying why, not a stack trace', async () => {
    await createDatabaseIfMissing(ownerUrl, name);
    const env = { DATABASE_URL: withDatabase(ownerUrl, name) };
    const args = ['dist/scripts/seed-national.js', '--scale', '0.002', '--seed', '7', '--today', '2026-11-27'];
    const first = run(args, { env });
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).residents).toBeGreaterThan(0);
    const second = run(args, { env });
    expect(second.status).toBe(1);
    expect(second.stderr.trim()).toBe('seed:national: The national dataset is already in this database; generate into a fresh one');
    const badScale = run(['dist/scripts/seed-national.js', '--scale', '9'], { env });
    expect(badScale).toMatchObject({ status: 1, stderr: 'seed:national: --scale is a number above 0 and at most 5\n' });
  }, 240_000);
});
