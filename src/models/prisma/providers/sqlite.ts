/** Prisma's sqlite provider. */
import { quoteIdentifier } from '../../../dialects/dialect.js';
import type { PrismaProvider } from './provider.js';

export const sqliteProvider: PrismaProvider = {
  name: 'sqlite',
  aliases: [],
  dialect: 'sqlite',
  title: 'sqlite',
  urlStart: 'sqlite:',
  scalars: {
    String: 'TEXT',
    Int: 'INTEGER',
    BigInt: 'BIGINT',
    Float: 'REAL',
    Decimal: 'DECIMAL',
    Boolean: 'BOOLEAN',
    DateTime: 'DATETIME',
    Json: 'JSONB',
    Bytes: 'BLOB',
  },
  enumColumn: () => 'TEXT',
  enumTypes: false,
  lists: false,
  extensions: false,
  identifierLimit: 10000,
  keysShareIndexNames: false,
  namedKeys: false,
  integerKeyAutoincrement: true,
  joinTablePrimaryKey: false,
  emulatedNoActionRefused: false,
  indexTypes: false,
  partialPredicate: (predicate) => predicate,
  quoteIdentifier,
  bytesText: (hex) => hex,
};
