/**
 * Which TypeORM a project builds its schema with. TypeORM's versions build different schemas
 * from the same entities, and `synchronize` on a database one of them built must find nothing to
 * do, so the static reader follows the project's own:
 *   - before 1.0, a name's hash is taken of `encodeURIComponent(key)` (`RandomGenerator.sha1`), so
 *     every `CHK_` name and every `IDX_` with a `where` differ from 1.x's plain SHA-1;
 *   - before 1.0, composite join columns come in the order their @JoinColumn list gives; 1.0
 *     orders them as the referenced primary key;
 *   - before 1.1.1, the foreign key of a junction table's inverse side takes the inverse
 *     relation's actions, NO ACTION when it gives none; 1.1.1 falls back to CASCADE;
 *   - before 1.0, a column's `width` is written after a MySQL type without a length
 *     (`tinyint(1)`, `int(4)`); 1.x has no `width` (0.3.31 writes it, 1.1.1 does not);
 *   - before 1.0, MySQL's driver writes a raw default that mentions CURRENT_TIMESTAMP or NOW
 *     anywhere as CURRENT_TIMESTAMP with the first precision in it
 *     (`CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)` is `CURRENT_TIMESTAMP(6)`); 1.x takes
 *     only the function itself (`now()`, `CURRENT_TIMESTAMP(3)`) and keeps any other text;
 *   - before 0.3.20, `@Entity` has no `comment` option: a table comment given there is ignored.
 * The version is the one installed where the entity files are (`node_modules/typeorm`, or n8n's
 * fork `@n8n/typeorm`, which keeps 0.3's rules), else the range the nearest package.json asks
 * for, else the newest.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface TypeOrmRules {
  /** What the rules were taken from, for messages: `typeorm 0.3.31`. */
  source: string;
  /** Names hash `encodeURIComponent(key)`, as TypeORM before 1.0 does. */
  uriEncodedHash: boolean;
  /** Composite join columns in the order declared, as TypeORM before 1.0 has them. */
  joinColumnsAsDeclared: boolean;
  /** The inverse side of a junction table: its relation's actions, else NO ACTION (before 1.1.1) or CASCADE. */
  inverseJunctionDefault: 'NO ACTION' | 'CASCADE';
  /** A column's `width` is part of its MySQL type (`tinyint(1)`), as TypeORM before 1.0 writes it. */
  displayWidth: boolean;
  /**
   * MySQL: a raw default that mentions CURRENT_TIMESTAMP or NOW is written CURRENT_TIMESTAMP with
   * its first precision, as TypeORM before 1.0's normalizeDatetimeFunction writes it.
   */
  datetimeFunctionAnywhere: boolean;
  /** `@Entity({ comment })` comments the table: TypeORM 0.3.20 added the option; before, it is ignored. */
  tableComments: boolean;
}

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function below(v: Version, w: Version): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== w[i]) return v[i] < w[i];
  return false;
}

/** The rules of TypeORM `version`. */
export function typeOrmRules(version: string, source = `typeorm ${version}`): TypeOrmRules {
  const v = parseVersion(version) ?? [Infinity, 0, 0];
  return {
    source,
    uriEncodedHash: below(v, [1, 0, 0]),
    joinColumnsAsDeclared: below(v, [1, 0, 0]),
    inverseJunctionDefault: below(v, [1, 1, 1]) ? 'NO ACTION' : 'CASCADE',
    displayWidth: below(v, [1, 0, 0]),
    datetimeFunctionAnywhere: below(v, [1, 0, 0]),
    tableComments: !below(v, [0, 3, 20]),
  };
}

/** The newest TypeORM's rules, for a project where no TypeORM is found. */
export const NEWEST_TYPEORM = typeOrmRules('1.1.1', 'TypeORM 1.1.1 (none installed)');

/** The packages that are TypeORM to the entity files, and the version whose rules each follows. */
const PACKAGES: { name: string; rules?: string }[] = [{ name: 'typeorm' }, { name: '@n8n/typeorm', rules: '0.3.20' }];

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The version whose rules a package.json range stands for: an exact version as it is, `~1.0.0` and
 * `^0.3.20` by their lower bound (later versions in them build alike), `>=0.3.0 <0.4.0` too;
 * undefined for a range that reaches the newest (`^1.0.0`, `>=0.3`, `*`, `latest`).
 */
function rangeVersion(range: string): string | undefined {
  const m = /^\s*(\^|~|>=|=|v)?\s*v?(\d+(?:\.\d+){0,2})(?:\.[xX*])?(?:\s+<\s*(\d+(?:\.\d+){0,2}))?\s*$/.exec(range);
  if (!m) return undefined;
  const [, op, low, upper] = m;
  const full = (x: string): Version => parseVersion(x.includes('.') ? x : `${x}.0`)!;
  if (op === '^' && full(low)[0] >= 1) return undefined;
  if (op === '>=' && (!upper || !below(full(upper), [1, 1, 1]))) return undefined;
  return low.includes('.') ? low : `${low}.0`;
}

/**
 * The TypeORM rules of the project that holds `dir`; `imported`: the TypeORM package the entity
 * files import (`@n8n/typeorm`), looked for before the others.
 */
export function typeOrmRulesAt(dir: string, imported?: string): TypeOrmRules {
  const packages = [...PACKAGES].sort((a, b) => Number(b.name === imported) - Number(a.name === imported));
  // Installed: the node_modules Node would resolve `typeorm` from, nearest first.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const pkg of packages) {
      const manifest = path.join(d, 'node_modules', pkg.name, 'package.json');
      if (!existsSync(manifest)) continue;
      const version = readJson(manifest)?.version;
      if (typeof version === 'string') return typeOrmRules(pkg.rules ?? version, `${pkg.name} ${version}`);
    }
    if (path.dirname(d) === d) break;
  }
  // Not installed: the range the nearest package.json that names it asks for.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const manifest = readJson(path.join(d, 'package.json'));
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      const deps = manifest?.[field] as Record<string, unknown> | undefined;
      for (const pkg of packages) {
        const range = deps?.[pkg.name];
        if (typeof range !== 'string') continue;
        const source = `${pkg.name} ${range} (package.json)`;
        if (pkg.rules) return typeOrmRules(pkg.rules, source);
        const version = rangeVersion(range);
        if (!version) return { ...NEWEST_TYPEORM, source };
        // A range (`^0.3.17`) may install 0.3.20 or later, which comments tables: only a pin says not.
        const pinned = /^\s*=?\s*v?\d+\.\d+\.\d+\s*$/.test(range);
        return { ...typeOrmRules(version, source), ...(pinned ? {} : { tableComments: true }) };
      }
    }
    if (path.dirname(d) === d) break;
  }
  return NEWEST_TYPEORM;
}

const strictDefaults = new Map<string, boolean>();

/**
 * Whether the project's own TypeScript checks strictly when its tsconfig does not say: yes from
 * TypeScript 6 on, no before (5.x and older, and where none is installed). The compiler migrator
 * carries may be newer than the project's; `design:type` of a `string | null` property (String,
 * or Object under strictNullChecks) must be what the project's own build writes.
 */
export function strictByDefault(dir: string): boolean {
  const start = path.resolve(dir);
  const known = strictDefaults.get(start);
  if (known !== undefined) return known;
  let strict = false;
  for (let d = start; ; d = path.dirname(d)) {
    const manifest = path.join(d, 'node_modules', 'typescript', 'package.json');
    if (existsSync(manifest)) {
      const version = readJson(manifest)?.version;
      strict = typeof version === 'string' && Number(version.split('.')[0]) >= 6;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  strictDefaults.set(start, strict);
  return strict;
}
