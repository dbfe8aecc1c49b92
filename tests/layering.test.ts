import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/platform/config.js';

/** Every .ts file under `dir`, as paths relative to the project. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)));
}

/** The module specifiers a file imports: `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1]);
  return specifiers;
}

/** What the platform is built on is below it; what is built on it (modules, seeds, migrations) comes in through src/app.ts. */
const ABOVE_THE_PLATFORM = ['src/modules/', 'seeds/', 'migrations/'];

describe('layering', () => {
  it('src/platform imports nothing from src/modules, seeds or migrations', () => {
    const files = sources('src/platform');
    expect(files.length).toBeGreaterThan(20);
    const crossings: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(fs.readFileSync(path.join(projectRoot, file), 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(projectRoot, path.resolve(path.dirname(path.join(projectRoot, file)), specifier));
        if (ABOVE_THE_PLATFORM.some((above) => `${target}/`.startsWith(above) || target.startsWith(above))) crossings.push(`${file} imports ${specifier}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('sees an import of a module, so the check above can fail', () => {
    expect(importsOf(`import { x } from '../../modules/a.js';\nimport '../../../seeds/b.js';\nconst c = await import('../../../migrations/c.js');`)).toEqual([
      '../../modules/a.js',
      '../../../seeds/b.js',
      '../../../migrations/c.js',
    ]);
  });
});
