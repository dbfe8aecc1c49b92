import fs from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { projectRoot } from '../src/platform/config.js';

interface RegisterRow {
  terc: string;
  name: string;
  type: string;
  powiat: string;
  wojewodztwo: string;
}

const KIND_BY_DIGIT: Record<string, string> = { '1': 'URBAN', '2': 'RURAL', '3': 'URBAN_RURAL' };

/** The GUS TERC register of gminy (2024-01-01); its origin is in seeds/data/TERYT-SOURCE.md. */
export function readRegister(): RegisterRow[] {
  const file = path.join(projectRoot, 'seeds/data/gminy_2024-01-01.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RegisterRow[];
}

/**
 * Loads (or refreshes) all 2,477 gminy in one statement. Reference data, not demo data: it runs
 * with every migration, so tenant rows can always point at a gmina.
 */
export async function loadTerytRegister(orm: MikroORM): Promise<number> {
  const rows = readRegister().map((r) => ({
    id: Number(r.terc),
    name: r.name,
    kind: KIND_BY_DIGIT[r.terc[6]],
    capital: r.type.includes('stołeczne'),
    powiat_code: r.terc.slice(0, 4),
    powiat_name: r.powiat,
    wojewodztwo_code: r.terc.slice(0, 2),
    wojewodztwo_name: r.wojewodztwo,
  }));
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into gmina (id, name, kind, capital, powiat_code, powiat_name, wojewodztwo_code, wojewodztwo_name)
     select id, name, kind, capital, powiat_code, powiat_name, wojewodztwo_code, wojewodztwo_name
     from jsonb_to_recordset(?::jsonb) as r(id int, name text, kind text, capital boolean,
       powiat_code text, powiat_name text, wojewodztwo_code text, wojewodztwo_name text)
     on conflict (id) do update set name = excluded.name, kind = excluded.kind, capital = excluded.capital,
       powiat_code = excluded.powiat_code, powiat_name = excluded.powiat_name,
       wojewodztwo_code = excluded.wojewodztwo_code, wojewodztwo_name = excluded.wojewodztwo_name`,
      [JSON.stringify(rows)],
    );
  return rows.length;
}
