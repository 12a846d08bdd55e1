/**
 * The schema a TypeORM DataSource's tables are in, as the DataSource reader gives it to the
 * models (`Schema.namespace`): the DataSource's `schema` option, or the one every entity names;
 * tables in two schemas, or in a named one and the connection's own, are an error naming the
 * DataSource file. Pure: a Description as TypeORM's metadata gives it, no TypeORM, no database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DescribedTable, Description } from '../../src/models/typeorm/description.js';
import { describedSchema } from '../../src/models/typeorm/to-schema.js';

const table = (name: string, namespace?: string): DescribedTable => ({
  name,
  entity: name[0].toUpperCase() + name.slice(1),
  kind: 'regular',
  ...(namespace !== undefined ? { namespace } : {}),
  withoutRowid: false,
  columns: [{ name: 'id', property: 'id', type: 'integer', fullType: 'integer', array: false, nullable: false, primary: true }],
  primaryKey: { name: `PK_${name}`, columns: ['id'] },
  uniques: [],
  checks: [],
  exclusions: [],
  indexes: [],
  foreignKeys: [],
});

const described = (tables: DescribedTable[], schema?: string): Description => ({ type: 'postgres', ...(schema ? { schema } : {}), tables, views: [], extensions: [] });

describe("the DataSource reader: the schema a DataSource's tables are in", () => {
  it("is the DataSource's schema option, or the one every entity names; none when nothing names one", () => {
    assert.deepEqual(describedSchema(described([table('a'), table('b')], 'lab'), 'ds.ts', 'postgres').namespace, { name: 'lab', source: 'ds.ts' });
    assert.deepEqual(describedSchema(described([table('a', 'ops'), table('b', 'ops')]), 'ds.ts', 'postgres').namespace, { name: 'ops', source: 'ds.ts' });
    assert.deepEqual(describedSchema(described([table('a', 'ops')], 'ops'), 'ds.ts', 'postgres').namespace, { name: 'ops', source: 'ds.ts' });
    assert.equal(describedSchema(described([table('a'), table('b')]), 'ds.ts', 'postgres').namespace, undefined);
  });

  it('is an error naming the file and both places when tables are in two schemas, or in a named one and the connection\'s own', () => {
    assert.throws(() => describedSchema(described([table('a', 'ops'), table('b', 'lab')]), 'ds.ts', 'postgres'), /^MigratorError: ds\.ts: entity B is in schema "lab" and entity A in schema "ops"; migrator works in one schema of a database/);
    assert.throws(() => describedSchema(described([table('a'), table('b', 'ops')]), 'ds.ts', 'postgres'), /^MigratorError: ds\.ts: entity A is in the connection's own schema and entity B in schema "ops"; migrator works in one schema/);
    assert.throws(() => describedSchema({ ...described([table('a', 'shop')]), type: 'mysql' }, 'ds.ts', 'mysql'), /^MigratorError: ds\.ts: entity A is put in shop, and migrator reads a schema on PostgreSQL only/);
  });
});

describe("the DataSource reader: a column's collation and character set", () => {
  const word = (extra: Partial<DescribedTable['columns'][number]>): DescribedTable => {
    const t = table('word');
    t.columns.push({ name: 'text', property: 'text', type: 'varchar', fullType: 'varchar(20)', length: '20', array: false, nullable: false, primary: false, ...extra });
    return t;
  };
  const column = (type: string, dialect: string, extra: Partial<DescribedTable['columns'][number]>) =>
    describedSchema({ ...described([word(extra)]), type }, 'ds.ts', dialect).tables[0].columns[1];

  it('reads the collation; a charset beside it on MySQL must be its character set, and PostgreSQL ignores one', () => {
    assert.equal(column('postgres', 'postgres', { collation: 'C', charset: 'utf8' }).collation, 'C');
    assert.equal(column('mysql', 'mysql', { collation: 'latin1_swedish_ci', charset: 'latin1' }).collation, 'latin1_swedish_ci');
    assert.equal(column('better-sqlite3', 'sqlite', {}).collation, undefined);
  });

  it('is an error naming the file for a MySQL charset without a collation', () => {
    assert.throws(() => column('mysql', 'mysql', { charset: 'latin1' }), /^MigratorError: ds\.ts: Word\.text has charset "latin1" without a collation: on MySQL the column takes the character set's default collation, which the server decides; give the collation too/);
  });
});

describe('the DataSource reader: a string default that names the current time', () => {
  const stamped = (def: string, type = 'timestamp'): DescribedTable => {
    const t = table('thing');
    t.columns.push({ name: 'createdAt', property: 'createdAt', type, fullType: type, array: false, nullable: false, primary: false, default: def });
    return t;
  };

  it("a quoted 'now()' on a timestamp column is an error naming the file and the column; the same text on a varchar is the text", () => {
    assert.throws(() => describedSchema(described([stamped("'now()'")]), 'ds.ts', 'postgres'), /^MigratorError: ds\.ts: Thing\.createdAt: default 'now\(\)' is a string, not the current time/);
    assert.equal(describedSchema(described([stamped('now()')]), 'ds.ts', 'postgres').tables[0].columns[1].default, 'now()');
    assert.equal(describedSchema(described([stamped("'now()'", 'varchar')]), 'ds.ts', 'postgres').tables[0].columns[1].default, "'now()'");
  });
});

describe('the DataSource reader: two indexes or foreign keys of one name', () => {
  it('is an error naming the file, the entity and the name, as TypeORM fails on the second', () => {
    const t = table('post');
    t.indexes.push({ name: 'IDX_x', columns: ['id'], unique: true, synchronize: true } as DescribedTable['indexes'][number], { name: 'IDX_x', columns: ['id'], unique: true, synchronize: true } as DescribedTable['indexes'][number]);
    assert.throws(() => describedSchema(described([t]), 'ds.ts', 'postgres'), /^MigratorError: ds\.ts: entity Post has two indexes named "IDX_x", and TypeORM's synchronize fails on the second/);
  });
});

describe('the DataSource reader: what neither reader can describe is an error naming the entity, never dropped', () => {
  const mysql = (t: DescribedTable): Description => ({ type: 'mysql', tables: [t], views: [], extensions: [] });
  it("MySQL: a table's engine and a ZEROFILL column", () => {
    assert.throws(() => describedSchema(mysql({ ...table('log'), engine: 'MyISAM' }), 'ds.ts', 'mysql'), /^MigratorError: ds\.ts: entity Log sets the table's storage engine, which migrator cannot describe .*\(engine "MyISAM"\)$/);
    const code = { name: 'code', property: 'code', type: 'int', fullType: 'int', array: false, nullable: false, primary: false, zerofill: true };
    assert.throws(() => describedSchema(mysql({ ...table('log'), columns: [...table('log').columns, code] }), 'ds.ts', 'mysql'), /^MigratorError: ds\.ts: entity Log\.code pads the numbers with zeros \(ZEROFILL\), which migrator cannot describe/);
    // PostgreSQL's driver has no engine: TypeORM leaves it out there, and so does the reader.
    assert.equal(describedSchema(described([{ ...table('log'), engine: 'MyISAM' }]), 'ds.ts', 'postgres').tables.length, 1);
  });

  it('SQLite: a numbered column in a primary key of more columns, which TypeORM refuses (as the static reader does)', () => {
    const t: DescribedTable = {
      ...table('profile'),
      columns: [
        { name: 'id', property: 'id', type: 'integer', fullType: 'integer', array: false, nullable: false, primary: true, generated: 'increment' },
        { name: 'kind', property: 'kind', type: 'varchar', fullType: 'varchar', array: false, nullable: false, primary: true },
      ],
      primaryKey: { name: 'PK_profile', columns: ['id', 'kind'] },
    };
    assert.throws(() => describedSchema({ type: 'better-sqlite3', tables: [t], views: [], extensions: [] }, 'ds.ts', 'sqlite'), /^MigratorError: ds\.ts: Profile\.id is generated \("increment"\) but is not the table's one primary key column, which SQLite's AUTOINCREMENT needs/);
  });
});
