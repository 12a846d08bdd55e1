/** The Prisma providers migrator reads, by the name a datasource block gives. */
import { mysqlProvider } from './mysql.js';
import { postgresqlProvider } from './postgresql.js';
import type { PrismaProvider } from './provider.js';
import { sqliteProvider } from './sqlite.js';

export type { ConstraintKind, NativeTypeResult, PrismaProvider } from './provider.js';

const PROVIDERS: readonly PrismaProvider[] = [postgresqlProvider, sqliteProvider, mysqlProvider];

/** The provider a datasource names (or one of its aliases); undefined for one not supported. */
export function providerNamed(name: string): PrismaProvider | undefined {
  return PROVIDERS.find((p) => p.name === name || p.aliases.includes(name));
}

/** The supported providers' names, quoted, for messages: `"postgresql", "sqlite" or "mysql"`. */
export function providerNames(): string {
  const names = PROVIDERS.map((p) => `"${p.name}"`);
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
