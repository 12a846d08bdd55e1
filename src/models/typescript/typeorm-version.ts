/**
 * Which TypeORM a project builds its schema with. TypeORM's versions build different schemas
 * from the same entities, and `synchronize` on a database one of them built must find nothing to
 * do, so the static reader follows the project's own:
 *   - before 1.0, a name's hash is taken of `encodeURIComponent(key)` (`RandomGenerator.sha1`), so
 *     every `CHK_` name and every `IDX_` with a `where` differ from 1.x's plain SHA-1;
 *   - before 1.0, composite join columns come in the order their @JoinColumn list gives; 1.0
 *     orders them as the referenced primary key;
 *   - before 1.1.1, the foreign key of a junction table's inverse side takes the inverse
 *     relation's actions, NO ACTION when it gives none; 1.1.1 falls back to CASCADE.
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

/** The TypeORM rules of the project that holds `dir`. */
export function typeOrmRulesAt(dir: string): TypeOrmRules {
  // Installed: the node_modules Node would resolve `typeorm` from, nearest first.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    for (const pkg of PACKAGES) {
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
      for (const pkg of PACKAGES) {
        const range = deps?.[pkg.name];
        if (typeof range !== 'string') continue;
        // `^0.3.20`, `~0.3.0`, `0.3.x`: never a 1.x; anything else is taken as the newest.
        const low = /^\s*[\^~=v]*\s*(\d+\.\d+(?:\.\d+)?)/.exec(range)?.[1];
        if (pkg.rules) return typeOrmRules(pkg.rules, `${pkg.name} ${range} (package.json)`);
        if (low && (parseVersion(low)?.[0] ?? 1) < 1) return typeOrmRules(low, `typeorm ${range} (package.json)`);
        return { ...NEWEST_TYPEORM, source: `typeorm ${range} (package.json)` };
      }
    }
    if (path.dirname(d) === d) break;
  }
  return NEWEST_TYPEORM;
}
