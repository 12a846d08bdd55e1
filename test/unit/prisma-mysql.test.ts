/**
 * Prisma's `mysql` provider (src/models/prisma/providers/mysql.ts): schema.prisma → the neutral
 * Schema as Prisma Migrate builds a MySQL/MariaDB database. The expectations follow Prisma's
 * rules for MySQL — psl's MySQL connector (scalar default types, native types and the arguments
 * it refuses, constraint-name scopes, prefix lengths, @@fulltext, AUTO_INCREMENT keyed) and the
 * schema engine's MySQL renderer (ENUM columns, CURRENT_TIMESTAMP(p), no Json or Bytes literal
 * defaults, implicit many-to-many tables keyed by `_AB_unique`) — checked by hand: Prisma's wasm
 * schema engine, which the PostgreSQL and SQLite reader tests ask, has no MySQL connector (see
 * test/e2e/mysql-prisma.test.ts, which builds databases from both sides on MariaDB).
 *
 * readModels runs in a worker thread with tsx's ESM hooks only, as in prisma-reader.test.ts
 * (@mrleebo/prisma-ast cannot be loaded under `node --import tsx` in this process).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mysqlDateTimeText, mysqlNativeType, mysqlNowDefault } from '../../src/models/prisma/providers/mysql.js';
import type { Column, Schema, Table } from '../../src/schema/schema.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const ready = import('tsx/esm/api').then(({ register }) => {
  register();
  return import(${JSON.stringify(pathToFileURL(path.join(SRC, 'models', 'index.ts')).href)});
});
parentPort.on('message', async ({ id, args }) => {
  try {
    const { readModels } = await ready;
    parentPort.postMessage({ id, schema: await readModels(...args) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
`;

let worker: Worker | undefined;
let sequence = 0;
const pending = new Map<number, (outcome: { schema?: Schema; error?: string }) => void>();
const dirs: string[] = [];
after(async () => {
  await worker?.terminate();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** readModels for one schema.prisma (a mysql datasource, `options` in it, then `body`), on `dialect`. */
async function outcome(body: string, options: { datasource?: string; preview?: string[]; dialect?: string } = {}): Promise<{ schema?: Schema; error?: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-prisma-mysql-'));
  dirs.push(dir);
  const generator = options.preview ? `generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ${JSON.stringify(options.preview)}\n}\n\n` : '';
  const file = path.join(dir, 'schema.prisma');
  fs.writeFileSync(file, `${generator}datasource db {\n  provider = "mysql"\n${options.datasource ? `  ${options.datasource}\n` : ''}}\n\n${body}`);
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    worker.on('message', (o: { id: number; schema?: Schema; error?: string }) => {
      pending.get(o.id)?.(o);
      pending.delete(o.id);
    });
  }
  const id = ++sequence;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker!.postMessage({ id, args: [[file], options.dialect ?? 'mysql'] });
  });
}

async function read(body: string, options: Parameters<typeof outcome>[1] = {}): Promise<Schema> {
  const o = await outcome(body, options);
  if (o.error) assert.fail(`expected the schema to be read, but: ${o.error}`);
  return o.schema!;
}

/** The message of the error reading the schema gives; it must name schema.prisma and `line`. */
async function rejected(body: string, pattern: RegExp, options: Parameters<typeof outcome>[1] = {}): Promise<string> {
  const o = await outcome(body, options);
  assert.ok(o.error, `expected an error matching ${pattern}, but the schema was read`);
  assert.match(o.error, pattern);
  assert.match(o.error, /schema\.prisma(:\d+)?: /);
  return o.error;
}

const tableOf = (s: Schema, name: string): Table => s.tables.find((t) => t.name === name) ?? assert.fail(`table ${name} in ${s.tables.map((t) => t.name).join(', ')}`);
const columnOf = (s: Schema, table: string, name: string): Column => tableOf(s, table).columns.find((c) => c.name === name) ?? assert.fail(`column ${table}.${name}`);

describe('Prisma mysql provider: column types', () => {
  it('each scalar without @db takes Prisma’s default MySQL type', async () => {
    const s = await read(
      'model T {\n  id Int @id\n  s String\n  b BigInt\n  f Float\n  d Decimal\n  o Boolean\n  t DateTime\n  j Json\n  y Bytes\n  n String?\n}\n',
    );
    const types = Object.fromEntries(tableOf(s, 'T').columns.map((c) => [c.name, `${c.type}${c.nullable ? ' NULL' : ''}`]));
    assert.deepEqual(types, {
      id: 'int',
      s: 'varchar(191)',
      b: 'bigint',
      f: 'double',
      d: 'decimal(65,30)',
      o: 'tinyint(1)',
      t: 'datetime(3)',
      j: 'json',
      y: 'longblob',
      n: 'varchar(191) NULL',
    });
  });

  it('@db native types, as Prisma’s MySQL renderer writes them', () => {
    const cases: [name: string, args: string[], scalar: string, type: string][] = [
      ['VarChar', ['100'], 'String', 'varchar(100)'],
      ['Char', ['36'], 'String', 'char(36)'],
      ['TinyText', [], 'String', 'tinytext'],
      ['Text', [], 'String', 'text'],
      ['MediumText', [], 'String', 'mediumtext'],
      ['LongText', [], 'String', 'longtext'],
      ['Int', [], 'Int', 'int'],
      ['UnsignedInt', [], 'Int', 'int unsigned'],
      ['SmallInt', [], 'Int', 'smallint'],
      ['UnsignedSmallInt', [], 'Int', 'smallint unsigned'],
      ['TinyInt', [], 'Int', 'tinyint'],
      ['TinyInt', [], 'Boolean', 'tinyint(1)'],
      ['UnsignedTinyInt', [], 'Boolean', 'tinyint unsigned'],
      ['MediumInt', [], 'Int', 'mediumint'],
      ['UnsignedMediumInt', [], 'Int', 'mediumint unsigned'],
      ['Year', [], 'Int', 'year'],
      ['BigInt', [], 'BigInt', 'bigint'],
      ['UnsignedBigInt', [], 'BigInt', 'bigint unsigned'],
      ['Decimal', ['10', '2'], 'Decimal', 'decimal(10,2)'],
      ['Decimal', [], 'Decimal', 'decimal'],
      ['Float', [], 'Float', 'float'],
      ['Double', [], 'Float', 'double'],
      ['Bit', ['1'], 'Boolean', 'bit(1)'],
      ['Bit', ['8'], 'Bytes', 'bit(8)'],
      ['Binary', ['16'], 'Bytes', 'binary(16)'],
      ['VarBinary', ['200'], 'Bytes', 'varbinary(200)'],
      ['TinyBlob', [], 'Bytes', 'tinyblob'],
      ['Blob', [], 'Bytes', 'blob'],
      ['MediumBlob', [], 'Bytes', 'mediumblob'],
      ['LongBlob', [], 'Bytes', 'longblob'],
      ['Date', [], 'DateTime', 'date'],
      ['Time', ['3'], 'DateTime', 'time(3)'],
      ['DateTime', ['0'], 'DateTime', 'datetime(0)'],
      ['DateTime', [], 'DateTime', 'datetime'],
      ['Timestamp', ['6'], 'DateTime', 'timestamp(6)'],
      ['Json', [], 'Json', 'json'],
    ];
    for (const [name, args, scalar, type] of cases) assert.equal(mysqlNativeType(name, args, scalar), type, `@db.${name}(${args.join(', ')}) on ${scalar}`);
  });

  it('a native type on a field of another scalar, or with arguments Prisma refuses, is an error naming the line', async () => {
    const cases: [field: string, pattern: RegExp][] = [
      ['n Int @db.VarChar(10)', /native type @db\.VarChar of T\.n: native type VarChar is not compatible with declared field type Int, expected field type String/],
      ['n String @db.Char(300)', /M can range from 0 to 255/],
      ['n String @db.VarChar(70000)', /M can range from 0 to 65,535/],
      ['n Decimal @db.Decimal(70, 2)', /Precision can range from 1 to 65/],
      ['n Decimal @db.Decimal(10, 31)', /scale must not be larger than the precision/],
      ['n Boolean @db.Bit(2)', /only Bit\(1\) can be used as Boolean/],
      ['n String @db.VarChar', /takes one argument/],
      ['n String @db.VarChar(-1)', /nonnegative whole numbers \(got -1\)/],
      // psl lets these through; MySQL refuses more than 6 fractional-second digits.
      ['n DateTime @db.DateTime(7)', /`DateTime\(7\)` of MySQL: M can range from 0 to 6/],
      ['n DateTime @db.Time(7)', /`Time\(7\)` of MySQL: M can range from 0 to 6/],
      ['n DateTime @db.Timestamp(9)', /`Timestamp\(9\)` of MySQL: M can range from 0 to 6/],
      ['n String @db.Citext', /native type @db\.Citext of T\.n is not supported/],
    ];
    for (const [field, pattern] of cases) {
      const message = await rejected(`model T {\n  id Int @id\n  ${field}\n}\n`, pattern);
      assert.match(message, /schema\.prisma:7: /, field);
    }
  });

  it('an enum is a column type of its values (mapped values as mapped), with no named type', async () => {
    const s = await read('enum Role {\n  USER\n  ADMIN\n  MOD @map("mod")\n  Q @map("it\'s")\n}\n\nmodel T {\n  id   Int  @id\n  role Role @default(MOD)\n}\n');
    assert.equal(columnOf(s, 'T', 'role').type, "enum('USER','ADMIN','mod','it''s')");
    assert.equal(columnOf(s, 'T', 'role').default, "'mod'");
    assert.equal(s.enums, undefined);
  });

  it('scalar lists are refused: the mysql connector has none', async () => {
    await rejected('model T {\n  id   Int      @id\n  tags String[]\n}\n', /scalar lists need PostgreSQL; the mysql connector does not support lists/);
  });
});

describe('Prisma mysql provider: defaults', () => {
  it('autoincrement() is AUTO_INCREMENT, on signed and unsigned integers alike', async () => {
    const s = await read('model A {\n  id Int @id @default(autoincrement()) @db.UnsignedInt\n}\nmodel B {\n  id BigInt @id @default(autoincrement())\n}\n');
    assert.deepEqual(columnOf(s, 'A', 'id'), { name: 'id', type: 'int unsigned', nullable: false, autoincrement: true });
    assert.equal(columnOf(s, 'B', 'id').autoincrement, true);
  });

  it('now() is CURRENT_TIMESTAMP with the column’s precision (3 by default), as the database keeps it', async () => {
    const s = await read(
      'model T {\n  id Int @id\n  a DateTime @default(now())\n  b DateTime @default(now()) @db.DateTime(6)\n  c DateTime @default(now()) @db.Timestamp(0)\n  d DateTime @default(now()) @db.Timestamp\n  e DateTime @default(now()) @db.Date\n}\n',
    );
    assert.deepEqual(
      tableOf(s, 'T').columns.slice(1).map((c) => c.default),
      ['CURRENT_TIMESTAMP(3)', 'CURRENT_TIMESTAMP(6)', 'CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP(3)'],
    );
    assert.equal(mysqlNowDefault('datetime(3)'), 'CURRENT_TIMESTAMP(3)');
  });

  it('no database default for @updatedAt, uuid(), cuid(), Json and Bytes literals', async () => {
    const s = await read(
      'model T {\n  id String @id @default(cuid())\n  u  String @default(uuid()) @db.Char(36)\n  at DateTime @updatedAt\n  j  Json @default("{}")\n  b  Bytes @default("AQID")\n}\n',
    );
    for (const c of tableOf(s, 'T').columns) assert.equal(c.default, undefined, c.name);
  });

  it('literals: strings quoted as MySQL reads them, booleans, numbers, enums, dbgenerated() verbatim', async () => {
    const s = await read(
      'model T {\n  id Int @id\n  s String @default("it\'s a \\\\ path")\n  o Boolean @default(true)\n  n Int @default(-5)\n  f Float @default(1.5)\n  d Decimal @default("2.50")\n  g String @default(dbgenerated("(uuid())")) @db.Char(36)\n}\n',
    );
    const defaults = Object.fromEntries(tableOf(s, 'T').columns.slice(1).map((c) => [c.name, c.default]));
    assert.deepEqual(defaults, { s: "'it''s a \\\\ path'", o: 'true', n: '-5', f: '1.5', d: '2.50', g: '(uuid())' });
  });

  it('a DateTime literal is the UTC value the column holds, to its precision', async () => {
    const s = await read(
      'model T {\n  id Int @id\n  a DateTime @default("2024-03-01T12:30:00.5+02:00")\n  b DateTime @default("2024-03-01T00:00:00Z") @db.Date\n  c DateTime @default("2024-03-01T23:59:59Z") @db.DateTime(0)\n}\n',
    );
    assert.deepEqual(
      tableOf(s, 'T').columns.slice(1).map((c) => c.default),
      ["'2024-03-01 10:30:00.500'", "'2024-03-01'", "'2024-03-01 23:59:59'"],
    );
    assert.equal(mysqlDateTimeText('2024-01-01T00:30:00-01:00', 'time(6)'), '01:30:00.000000');
  });

  it('one AUTO_INCREMENT column per table, and it must lead a key, as Prisma checks for MySQL', async () => {
    await rejected('model T {\n  id Int @id @default(autoincrement())\n  n  Int @unique @default(autoincrement())\n}\n', /used multiple times on this model/);
    await rejected('model T {\n  id String @id\n  n  Int    @default(autoincrement())\n}\n', /schema\.prisma:7: .*non-indexed field/);
    const s = await read('model T {\n  id String @id\n  n  Int    @default(autoincrement())\n\n  @@index([n])\n}\n');
    assert.equal(columnOf(s, 'T', 'n').autoincrement, true);
  });
});

describe('Prisma mysql provider: keys, indexes and their names', () => {
  it('default names: <table>_<columns>_key / _idx / _fkey with the mapped names; the primary key keeps none', async () => {
    const s = await read(
      'model User {\n  id    Int    @id @map("user_id")\n  email String @unique\n  posts Post[]\n\n  @@map("users")\n}\n\nmodel Post {\n  id       Int    @id\n  authorId Int    @map("author_id")\n  title    String\n  author   User   @relation(fields: [authorId], references: [id])\n\n  @@unique([authorId, title])\n  @@index([title])\n}\n',
    );
    assert.deepEqual(
      tableOf(s, 'users').indexes.map((i) => i.name),
      ['users_email_key'],
    );
    assert.deepEqual(
      tableOf(s, 'Post').indexes.map((i) => `${i.name}${i.unique ? ' unique' : ''}`),
      ['Post_author_id_title_key unique', 'Post_title_idx'],
    );
    assert.deepEqual(tableOf(s, 'Post').foreignKeys, [
      { name: 'Post_author_id_fkey', columns: ['author_id'], referencedTable: 'users', referencedColumns: ['user_id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ]);
  });

  it('names are cut to MySQL’s 64 characters as Prisma cuts them', async () => {
    const s = await read(
      'model WorkspaceMembershipInvitation {\n  id                  Int    @id\n  workspaceIdentifier String\n  invitedEmailAddress String\n\n  @@unique([workspaceIdentifier, invitedEmailAddress])\n}\n',
    );
    const [index] = tableOf(s, 'WorkspaceMembershipInvitation').indexes;
    assert.equal(index.name, 'WorkspaceMembershipInvitation_workspaceIdentifier_invitedEma_key');
    assert.equal(index.name.length, 64);
  });

  it('a primary key cannot be named; a foreign key can', async () => {
    await rejected('model T {\n  id Int @id(map: "pk")\n}\n', /a database name \(map:\) for the primary key is not supported by the mysql provider/);
    const s = await read(
      'model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id  Int @id\n  aId Int\n  a   A   @relation(fields: [aId], references: [id], map: "b_to_a")\n}\n',
    );
    assert.equal(tableOf(s, 'B').foreignKeys[0].name, 'b_to_a');
  });

  it('index names are unique within a table, foreign key names within the database', async () => {
    const s = await read(
      'model A {\n  id Int @id\n  x  Int\n\n  @@index([x], map: "by_x")\n}\nmodel B {\n  id Int @id\n  x  Int\n\n  @@index([x], map: "by_x")\n}\n',
    );
    assert.deepEqual(
      s.tables.map((t) => t.indexes[0].name),
      ['by_x', 'by_x'],
    );
    await rejected('model A {\n  id Int @id\n  x  Int @unique(map: "dup")\n  y  Int\n\n  @@index([y], map: "dup")\n}\n', /"dup" is used twice on model A; its indexes and unique constraints share one namespace/);
    await rejected(
      'model A {\n  id Int @id\n  bs B[]\n  cs C[]\n}\nmodel B {\n  id  Int @id\n  aId Int\n  a   A   @relation(fields: [aId], references: [id], map: "fk")\n}\nmodel C {\n  id  Int @id\n  aId Int\n  a   A   @relation(fields: [aId], references: [id], map: "fk")\n}\n',
      /"fk" is used twice; foreign keys share one namespace over the schema/,
    );
  });

  it('prefix lengths and sort orders on @@index, @@unique and @unique; length only on String and Bytes', async () => {
    const s = await read(
      'model T {\n  id    Int    @id\n  title String @db.VarChar(255)\n  body  String @db.Text\n  code  String @unique(length: 8, sort: Desc)\n  n     Int\n\n  @@index([title(length: 10), n(sort: Desc)])\n  @@unique([body(length: 100)])\n}\n',
    );
    assert.deepEqual(
      tableOf(s, 'T').indexes.map((i) => [i.name, i.columns, i.unique]),
      [
        ['T_code_key', [{ column: 'code', length: 8, order: 'desc' }], true],
        ['T_title_n_idx', [{ column: 'title', length: 10 }, { column: 'n', order: 'desc' }], false],
        ['T_body_key', [{ column: 'body', length: 100 }], true],
      ],
    );
    await rejected('model T {\n  id Int @id\n  n  Int\n\n  @@index([n(length: 4)])\n}\n', /only allowed with field types `String` or `Bytes`/);
  });

  it('a TEXT or BLOB field in a key needs a prefix length, as Prisma says', async () => {
    await rejected('model T {\n  id   Int    @id\n  body String @db.Text\n\n  @@index([body])\n}\n', /you cannot define an index on fields with native type `Text` of MySQL/);
    await rejected('model T {\n  id   Int    @id\n  body String @unique @db.MediumText\n}\n', /you cannot define a unique constraint on fields with native type `MediumText`/);
    await rejected('model T {\n  id Bytes @id @db.Blob\n}\n', /you cannot define a primary key on fields with native type `Blob`/);
    await rejected('model T {\n  a String @db.VarChar(200)\n  b Int\n\n  @@id([a(length: 20), b])\n}\n', /migrator does not support a prefix length \(length:\) in the primary key/);
  });

  it('@@fulltext is a FULLTEXT index named <table>_<columns>_idx; sort and length are refused in it', async () => {
    const s = await read('model Post {\n  id    Int    @id\n  title String\n  body  String @db.Text\n\n  @@fulltext([title, body])\n  @@fulltext([body], map: "post_body_ft")\n}\n');
    assert.deepEqual(tableOf(s, 'Post').indexes, [
      { name: 'Post_title_body_idx', columns: ['title', 'body'], unique: false, using: 'fulltext' },
      { name: 'post_body_ft', columns: ['body'], unique: false, using: 'fulltext' },
    ]);
    await rejected('model Post {\n  id    Int    @id\n  title String\n\n  @@fulltext([title(sort: Desc)])\n}\n', /sort argument is not supported in a @@fulltext attribute/);
    await rejected('model Post {\n  id    Int    @id\n  title String\n\n  @@fulltext([title(length: 10)])\n}\n', /length argument is not supported in a @@fulltext attribute/);
  });

  it('index types other than BTree and partial indexes are refused, as on MySQL Prisma has neither', async () => {
    await rejected('model T {\n  id Int @id\n  n  Int\n\n  @@index([n], type: Hash)\n}\n', /type: Hash is not supported with the current connector \(mysql\)/);
    const s = await read('model T {\n  id Int @id\n  n  Int\n\n  @@index([n], type: BTree)\n}\n');
    assert.equal(tableOf(s, 'T').indexes[0].using, undefined);
    await rejected('model T {\n  id Int @id\n  n  Int\n\n  @@index([n], where: raw("n > 0"))\n}\n', /partial indexes \(with a `where` clause\) are not supported by the current connector \(mysql\)/, { preview: ['partialIndexes'] });
  });
});

describe('Prisma mysql provider: relations', () => {
  const schema =
    'model User {\n  id       Int     @id\n  posts    Post[]\n  edited   Post[]  @relation("editor")\n  tags     Tag[]\n}\n\nmodel Post {\n  id       BigInt  @id\n  authorId Int\n  editorId Int?\n  author   User    @relation(fields: [authorId], references: [id])\n  editor   User?   @relation("editor", fields: [editorId], references: [id], onUpdate: NoAction)\n}\n\nmodel Tag {\n  id    String @id\n  users User[]\n}\n';

  it('default actions: required RESTRICT, optional SET NULL, on update CASCADE; implicit many-to-many tables keyed by _AB_unique', async () => {
    const s = await read(schema);
    assert.deepEqual(
      tableOf(s, 'Post').foreignKeys.map((f) => `${f.name} ${f.onDelete} ${f.onUpdate}`),
      ['Post_authorId_fkey RESTRICT CASCADE', 'Post_editorId_fkey SET NULL NO ACTION'],
    );
    const join = tableOf(s, '_TagToUser');
    assert.deepEqual(join.columns, [
      { name: 'A', type: 'varchar(191)', nullable: false },
      { name: 'B', type: 'int', nullable: false },
    ]);
    assert.equal(join.primaryKey, undefined);
    assert.deepEqual(join.indexes, [
      { name: '_TagToUser_AB_unique', columns: ['A', 'B'], unique: true },
      { name: '_TagToUser_B_index', columns: ['B'], unique: false },
    ]);
    assert.deepEqual(
      join.foreignKeys.map((f) => `${f.name} -> ${f.referencedTable} ${f.onDelete} ${f.onUpdate}`),
      ['_TagToUser_A_fkey -> Tag CASCADE CASCADE', '_TagToUser_B_fkey -> User CASCADE CASCADE'],
    );
  });

  it('relationMode = "prisma": no foreign keys at all, and NoAction is allowed (unlike PostgreSQL and SQLite)', async () => {
    const s = await read(schema, { datasource: 'relationMode = "prisma"' });
    assert.deepEqual(
      s.tables.flatMap((t) => t.foreignKeys),
      [],
    );
    assert.ok(tableOf(s, '_TagToUser').indexes.length === 2);
  });

  it('a mysql schema pointed at a PostgreSQL database is an error naming the provider', async () => {
    await rejected('model T {\n  id Int @id\n}\n', /the datasource provider is "mysql" but the database is postgres; point migrator at a mysql:\/\/ database/, { dialect: 'postgres' });
  });
});
