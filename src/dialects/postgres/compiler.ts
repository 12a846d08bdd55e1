/** Operations → PostgreSQL DDL. Every change is an ALTER in place; DDL is transactional. */
import { applyOperation, dependentsOf, tryApplyOperation } from '../../operations/apply.js';
import { dispatch, type Handlers, type KindTable, type OperationOf } from '../../operations/kinds.js';
import { describeOperation, type Operation } from '../../operations/operation.js';
import { cloneSchema, findTable, type CheckConstraint, type Column, type Index, type Schema, type Table } from '../../schema/schema.js';
import { quoteIdentifier as q, quoteLiteral, refuseOnUpdate, UnsupportedOperationError, type CompiledOperations } from '../dialect.js';
import { PhaseBuilder, placementOf, type Placement, type Resume } from '../phases.js';
import { columnList, constraintSql, createIndexSql, STANDARD_SQL } from '../sql.js';
import { truncateIdentifier } from './identifiers.js';
import { dimensions, pgCastless } from './casts.js';
import { normalizePgType, serialType } from './types.js';

/** A name in a printed type: a plain word, or a quoted identifier with its quotes doubled inside. */
const TYPE_NAME = `(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_$]*)`;

/**
 * A string literal and its cast, as PostgreSQL prints a default: `'open'::text`,
 * `'x'::character varying(20)`, `'a'::"Mood"`, `'it''s'::"mood""; DROP TYPE x; --"`, `'b'::public."Kind"[]`.
 */
const LITERAL_CAST = new RegExp(`^('(?:[^']|'')*')::${TYPE_NAME}(?:\\.${TYPE_NAME})?(?: [a-z]+)*(?:\\(\\d+(?:,\\d+)?\\))?(?: [a-z]+)*(?:\\[\\])*$`, 'i');

/** A literal and the cast PostgreSQL prints after it, inside an array: `'a'::"Mood"`. */
const CAST_LITERAL = `('(?:[^']|'')*')(?:::${TYPE_NAME}(?:\\.${TYPE_NAME})?(?: [a-z]+)*(?:\\(\\d+(?:,\\d+)?\\))?(?: [a-z]+)*)?`;
/** An array of literals, as PostgreSQL prints a list default: `ARRAY['a'::"Mood", 'b'::"Mood"]`, `ARRAY['a']::"Mood"[]`. */
const ARRAY_OF_LITERALS = new RegExp(`^ARRAY\\[\\s*((?:${CAST_LITERAL}\\s*,\\s*)*${CAST_LITERAL})\\s*\\](?:::${TYPE_NAME}(?:\\.${TYPE_NAME})?(?: [a-z]+)*(?:\\[\\])+)?$`, 'i');

/**
 * A column's default as it goes back after its type changed to `type`, without the old type's
 * casts: a literal bare (`'open'::text` on a column made an enum is `'open'`), a list of literals
 * cast to the new list type (`ARRAY['a'::"Old"]` is `ARRAY['a']::"New"[]`); anything else as it was.
 */
function keptDefault(def: string, type: string): string {
  if (LITERAL_CAST.test(def)) return def.replace(LITERAL_CAST, '$1');
  const list = ARRAY_OF_LITERALS.exec(def);
  if (!list || !/\[\]\s*$/.test(type)) return def;
  const literals = [...list[1].matchAll(new RegExp(CAST_LITERAL, 'gi'))].map((m) => m[1]);
  return `ARRAY[${literals.join(', ')}]::${type}`;
}

function columnType(c: Column): string {
  if (c.autoincrement && !c.identity) return serialType(c.type);
  return c.type;
}

export function columnSql(c: Column): string {
  refuseOnUpdate('postgres', 'PostgreSQL', c.name, c.onUpdate);
  let sql = `${q(c.name)} ${columnType(c)}`;
  if (c.collation !== undefined) sql += ` COLLATE ${q(c.collation)}`;
  if (c.identity) sql += ` GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  if (c.generated !== undefined && c.virtual) throw new UnsupportedOperationError('postgres', `make column ${c.name} a VIRTUAL generated column: PostgreSQL's generated columns are stored`);
  if (c.generated !== undefined) sql += ` GENERATED ALWAYS AS (${c.generated}) STORED`;
  if (!c.nullable) sql += ' NOT NULL';
  if (c.default !== undefined && !c.autoincrement && c.generated === undefined) sql += ` DEFAULT ${c.default}`;
  return sql;
}

function commentSql(target: string, comment: string | null | undefined): string {
  return `COMMENT ON ${target} IS ${comment === null || comment === undefined ? 'NULL' : quoteLiteral(comment)}`;
}

export function createTableSql(t: Table): string[] {
  if (t.collation !== undefined) throw new UnsupportedOperationError('postgres', `create table ${t.name} with the default collation ${t.collation}: PostgreSQL tables have none (give each column its own)`);
  const parts = t.columns.map(columnSql);
  if (t.primaryKey?.columns.length) parts.push(`${t.primaryKey.name ? `CONSTRAINT ${q(t.primaryKey.name)} ` : ''}PRIMARY KEY (${columnList(t.primaryKey.columns)})`);
  for (const u of t.uniques) parts.push(constraintSql({ type: 'unique', ...u }));
  for (const c of t.checks) parts.push(constraintSql({ type: 'check', ...c }));
  for (const f of t.foreignKeys) parts.push(constraintSql({ type: 'foreignKey', ...f }));
  return [
    `CREATE TABLE ${q(t.name)} (${parts.join(', ')})`,
    ...(t.comment !== undefined ? [commentSql(`TABLE ${q(t.name)}`, t.comment)] : []),
    ...t.columns.filter((c) => c.comment !== undefined).map((c) => commentSql(`COLUMN ${q(t.name)}.${q(c.name)}`, c.comment)),
  ];
}

/** A character type (or an array of one): the types a collation a column keeps can go with. */
const CHARACTER_TYPE = /^(?:text|citext|name|character varying|varchar|character|char|bpchar)\b/i;

/**
 * The COLLATE of an ALTER COLUMN … TYPE: the one the change names (null: the type's default), or
 * the column's own, kept across a change to another character type (PostgreSQL would drop it).
 */
function collateSql(ch: OperationOf<'alterColumn'>['changes'], current: Column | undefined): string {
  if (ch.collation === null) return ' COLLATE "default"';
  const collation = ch.collation ?? (current?.collation !== undefined && CHARACTER_TYPE.test((ch.type ?? '').trim()) ? current.collation : undefined);
  return collation === undefined ? '' : ` COLLATE ${q(collation)}`;
}


/**
 * The USING expression of a type change. A value made a list becomes a list of it (`ARRAY[c]`;
 * NULL stays NULL), not a cast of its text, which fails on any ordinary text ('hello' is no array
 * literal); a list made a value keeps its first element (the data-loss review counts the rows
 * with more). Otherwise a cast (through text where an enum is on either side: `via`).
 */
function castSql(c: string, from: string | undefined, to: string, via: string): string {
  const was = from === undefined ? undefined : dimensions(from);
  const now = dimensions(to);
  // Between a timestamp and a timestamptz the values are read as UTC (as Prisma writes them),
  // whatever time zone the session has: a cast alone would shift them by its offset.
  const zone = (type: string | undefined): boolean | undefined => {
    const m = /^timestamp(?:\s*\(\s*\d\s*\))?\s*(with(?:out)? time zone)?$|^(timestamptz)(?:\s*\(\s*\d\s*\))?$/i.exec((type ?? '').trim());
    return m ? /^with |timestamptz/i.test(m[1] ?? m[2] ?? '') : undefined;
  };
  const [fromZone, toZone] = [zone(from), zone(to)];
  if (fromZone !== undefined && toZone !== undefined && fromZone !== toZone) return `(${c} AT TIME ZONE 'UTC')::${to}`;
  if (was === 0 && now === 1) return `CASE WHEN ${c} IS NULL THEN NULL ELSE ARRAY[${c}${via ? '::text' : ''}]::${to} END`;
  if (was === 1 && now === 0) return `(${c})[1]${via ? '::text' : ''}::${to}`;
  return `${c}${via}::${to}`;
}

function alterColumnSql(op: OperationOf<'alterColumn'>, schema: Schema): string[] {
  const t = q(op.table);
  const c = q(op.column);
  const ch = op.changes;
  refuseOnUpdate('postgres', 'PostgreSQL', `${op.table}.${op.column}`, ch.onUpdate);
  if (ch.virtual) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: PostgreSQL's generated columns are stored`);
  const current = findTable(schema, op.table)?.columns.find((x) => x.name === op.column);
  // A type PostgreSQL has no cast to: the column is dropped and added again, as Prisma does.
  if (typeof ch.generated === 'string' || (ch.type !== undefined && current && pgCastless(normalizePgType(current.type), normalizePgType(ch.type)))) return regeneratedColumnSql(op, schema);
  const out: string[] = [];
  // A generated column made plain keeps the values it holds.
  if (ch.generated === null) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP EXPRESSION`);
  if (ch.default !== undefined || (ch.type !== undefined && current?.default !== undefined)) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
  if (ch.type !== undefined) {
    // Between an enum and another type (another enum included) there is no cast but through text.
    const enums = new Set((schema.enums ?? []).map((e) => e.name));
    const userType = (type: string | undefined): boolean => {
      const base = (type ?? '').replace(/(\[\])+$/, '').trim();
      return /^".*"$/s.test(base) || enums.has(base);
    };
    const via = userType(ch.type) || userType(current?.type) ? `::text${ch.type.trim().endsWith('[]') ? '[]' : ''}` : '';
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${ch.type}${collateSql(ch, current)} USING ${castSql(c, current?.type, ch.type, via)}`);
  } else if (ch.collation !== undefined) {
    if (!current) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: the column's type is not known (a collation is set with ALTER COLUMN … TYPE)`);
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${current.type}${collateSql(ch, current)}`);
  }
  const fill = ch.default ?? current?.default;
  if (ch.nullable === false && fill) out.push(`UPDATE ${t} SET ${c} = ${fill} WHERE ${c} IS NULL`);
  if (ch.nullable !== undefined) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ${ch.nullable ? 'DROP' : 'SET'} NOT NULL`);
  // After a type change the old default goes back without the old type's cast of its literal
  // ('open'::text on a column that became an enum is 'open').
  const kept = current?.default !== undefined && ch.type !== undefined ? keptDefault(current.default, ch.type) : current?.default;
  const restore = ch.default !== undefined ? ch.default : ch.type !== undefined ? kept : undefined;
  if (restore !== null && restore !== undefined) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${restore}`);
  if (ch.autoincrement === false) {
    // Before an identity takes its place, which a column with a default cannot become.
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`);
    // Its sequence goes with it, as Prisma drops it, unless another column's default still draws from it.
    out.push(
      withOwnedSequence(op.table, op.column, [
        "  IF s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE (d.refobjid = s::regclass AND d.classid = 'pg_attrdef'::regclass) OR (d.objid = s::regclass AND d.deptype = 'i')) THEN",
        "    EXECUTE format('DROP SEQUENCE %s', s);",
        '  END IF;',
      ]),
    );
  }
  if (ch.identity !== undefined) {
    const was = current?.identity;
    if (ch.identity === null) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP IDENTITY IF EXISTS`);
    else if (was) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET GENERATED ${ch.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
    else {
      out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} ADD GENERATED ${ch.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
      // Numbered from past the rows there are, as a serial taken over goes on.
      out.push(withOwnedSequence(op.table, op.column, [`  EXECUTE format('SELECT setval(%L, coalesce(max(%I), 0) + 1, false) FROM %I', s, ${quoteLiteral(op.column)}, ${quoteLiteral(op.table)});`]));
    }
  }
  const integer = sequenceType(ch.type ?? current?.type);
  if (ch.autoincrement === true) out.push(serialSequenceSql(op.table, op.column, integer));
  else if (ch.type !== undefined && current?.autoincrement && integer) {
    // The sequence a serial column owns keeps its own type: an integer made bigint would still stop at 2^31 - 1.
    out.push(ownedSequenceSql(op.table, op.column, `ALTER SEQUENCE %s AS ${integer}`));
  }
  if (ch.comment !== undefined) out.push(commentSql(`COLUMN ${t}.${c}`, ch.comment));
  return out;
}

/**
 * A column made generated, or given another expression: dropped and added again with its new
 * definition, as TypeORM does (PostgreSQL before 17 cannot change a generation in place), and the
 * indexes and constraints of its table that use it built again. Its values are computed anew. So
 * is a column given a type PostgreSQL has no cast to (pgCastless), as Prisma does: its values go.
 */
function regeneratedColumnSql(op: OperationOf<'alterColumn'>, schema: Schema): string[] {
  const before = findTable(schema, op.table);
  const current = before?.columns.find((x) => x.name === op.column);
  if (!before || !current) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: the column's definition is not known (the column is dropped and added again)`);
  if (op.changes.autoincrement || op.changes.identity) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: a column dropped and added again cannot be numbered too`);
  const after = cloneSchema({ tables: [before] });
  applyOperation(after, op);
  const next = after.tables[0].columns.find((x) => x.name === op.column)!;
  const { autoincrement: _a, identity: _i, ...plain } = next;
  const t = q(op.table);
  const uses = dependentsOf(before, op.column);
  return [
    `ALTER TABLE ${t} DROP COLUMN ${q(op.column)}`,
    `ALTER TABLE ${t} ADD ${columnSql(plain)}`,
    ...(plain.comment !== undefined ? [commentSql(`COLUMN ${t}.${q(plain.name)}`, plain.comment)] : []),
    ...(uses.primaryKey && before.primaryKey ? [`ALTER TABLE ${t} ADD ${before.primaryKey.name ? `CONSTRAINT ${q(before.primaryKey.name)} ` : ''}PRIMARY KEY (${columnList(before.primaryKey.columns)})`] : []),
    ...uses.uniques.map((u) => `ALTER TABLE ${t} ADD ${constraintSql({ type: 'unique', ...u })}`),
    ...uses.checks.map((k) => `ALTER TABLE ${t} ADD ${constraintSql({ type: 'check', ...k })}`),
    ...uses.foreignKeys.map((f) => `ALTER TABLE ${t} ADD ${constraintSql({ type: 'foreignKey', ...f })}`),
    ...uses.indexes.map((i) => createIndexSql(op.table, i)),
  ];
}

/** The integer type a sequence of a column of `type` has (`AS bigint`); none for other types. */
function sequenceType(type: string | undefined): string | undefined {
  const t = (type ?? '').trim().toLowerCase();
  return { smallint: 'smallint', int2: 'smallint', integer: 'integer', int: 'integer', int4: 'integer', bigint: 'bigint', int8: 'bigint' }[t];
}

/** An anonymous block: `body` between dollar quotes whose tag it does not contain. */
function doBlock(body: string): string {
  let tag = '$migrator$';
  for (let i = 1; body.includes(tag); i++) tag = `$migrator${i}$`;
  return `DO ${tag}\n${body}\n${tag}`;
}

/**
 * A block in which `s` holds the sequence the column owns (qualified and quoted, as
 * `pg_get_serial_sequence` gives it), or NULL: found in the database at run time, since a table
 * renamed keeps its sequence's name, and a name alone may be another column's.
 */
function withOwnedSequence(table: string, column: string, statements: readonly string[], declare: readonly string[] = []): string {
  return doBlock(['DECLARE', `  s text := pg_get_serial_sequence(${quoteLiteral(q(table))}, ${quoteLiteral(column)});`, ...declare, 'BEGIN', ...statements, 'END;'].join('\n'));
}

/** Runs `statement` on the sequence the column owns, if it owns one (`%s` in it is the sequence). */
function ownedSequenceSql(table: string, column: string, statement: string): string {
  return withOwnedSequence(table, column, [`  IF s IS NOT NULL THEN EXECUTE format(${quoteLiteral(statement)}, s); END IF;`]);
}

/**
 * What `serial` makes of an existing column: a sequence owned by it, of its integer type, starting
 * past the rows there are, as its default. A sequence the column already owns is taken again;
 * else one is made under the name `serial` gives (`<table>_<column>_seq`), or, when a relation has
 * that name (the sequence of a table renamed away keeps it), the first free one with a number
 * after it, as PostgreSQL picks for `serial` — never another column's sequence.
 */
function serialSequenceSql(table: string, column: string, type: string | undefined): string {
  const base = quoteLiteral(`${table}_${column}_seq`);
  const [t, c] = [quoteLiteral(table), quoteLiteral(column)];
  return withOwnedSequence(
    table,
    column,
    [
      '  IF s IS NULL THEN',
      '    LOOP',
      `      n := CASE WHEN i = 0 THEN left(${base}, 63) ELSE left(${base}, 63 - length(i::text)) || i END;`,
      '      EXIT WHEN to_regclass(quote_ident(n)) IS NULL;',
      '      i := i + 1;',
      '    END LOOP;',
      `    EXECUTE format('CREATE SEQUENCE %I${type ? ` AS ${type}` : ''} OWNED BY %I.%I', n, ${t}, ${c});`,
      '    s := quote_ident(n);',
      '  END IF;',
      `  EXECUTE format('SELECT setval(%L, coalesce(max(%I), 0) + 1, false) FROM %I', s, ${c}, ${t});`,
      `  EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT nextval(%L::regclass)', ${t}, ${c}, s);`,
    ],
    ['  n text;', '  i integer := 0;'],
  );
}

/** Dropping an enum value: PostgreSQL cannot, so the type is recreated without it. */
function dropEnumValueSql(op: OperationOf<'dropEnumValue'>, schema: Schema): string[] {
  const e = schema.enums?.find((x) => x.name === op.name);
  if (!e) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: enum "${op.name}" is not known`);
  const old = `${op.name}_old`;
  // The columns of the type, arrays of it included (`"Role"[]`), with their dimensions.
  const dims = (type: string): string | undefined => {
    const m = /^(.*?)((?:\[\])*)$/.exec(type.trim())!;
    return m[1] === op.name || m[1] === q(op.name) ? m[2] : undefined;
  };
  const users = schema.tables.flatMap((t) => t.columns.filter((c) => dims(c.type) !== undefined).map((c) => ({ t, c, d: dims(c.type)! })));
  // Partial and expression indexes and checks that read such a column compare it with the type's
  // values, as the old type once it is renamed: PostgreSQL has no operator between the old type
  // and the new, so they are dropped before the columns change and made again after.
  const indexes = new Map<string, { t: Table; i: Index }>();
  const checks = new Map<string, { t: Table; k: CheckConstraint }>();
  for (const { t, c } of users) {
    const uses = dependentsOf(t, c.name);
    for (const i of uses.indexes) if (i.where !== undefined || i.columns.some((k) => typeof k !== 'string' && k.expression !== undefined)) indexes.set(i.name, { t, i });
    for (const k of uses.checks) if (k.name !== undefined) checks.set(`${t.name}\u0000${k.name}`, { t, k });
  }
  return [
    ...[...indexes.values()].map(({ i }) => `DROP INDEX ${q(i.name)}`),
    ...[...checks.values()].map(({ t, k }) => `ALTER TABLE ${q(t.name)} DROP CONSTRAINT ${q(k.name!)}`),
    `ALTER TYPE ${q(op.name)} RENAME TO ${q(old)}`,
    `CREATE TYPE ${q(op.name)} AS ENUM (${e.values.filter((v) => v !== op.value).map(quoteLiteral).join(', ')})`,
    ...users.flatMap(({ t, c, d }) => [
      ...(c.default !== undefined ? [`ALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} DROP DEFAULT`] : []),
      `ALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} TYPE ${q(op.name)}${d} USING ${q(c.name)}::text${d}::${q(op.name)}${d}`,
      ...(c.default !== undefined ? [`ALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} SET DEFAULT ${c.default}`] : []),
    ]),
    ...[...checks.values()].map(({ t, k }) => `ALTER TABLE ${q(t.name)} ADD ${constraintSql({ type: 'check', ...k })}`),
    ...[...indexes.values()].map(({ t, i }) => createIndexSql(t.name, i)),
    `DROP TYPE ${q(old)}`,
  ];
}

function addColumnSql(op: OperationOf<'addColumn'>): string[] {
  return [
    `ALTER TABLE ${q(op.table)} ADD ${columnSql(op.column)}`,
    ...(op.column.comment !== undefined ? [commentSql(`COLUMN ${q(op.table)}.${q(op.column.name)}`, op.column.comment)] : []),
  ];
}

/** The key there is dropped (by its name, or the name PostgreSQL gives one), then the new one added. */
function alterPrimaryKeySql(op: OperationOf<'alterPrimaryKey'>, schema: Schema): string[] {
  const was = findTable(schema, op.table)?.primaryKey;
  const drop = was ? [`ALTER TABLE ${q(op.table)} DROP CONSTRAINT ${q(was.name ?? `${op.table}_pkey`)}`] : [];
  const add = op.primaryKey
    ? [`ALTER TABLE ${q(op.table)} ADD ${op.primaryKey.name ? `CONSTRAINT ${q(op.primaryKey.name)} ` : ''}PRIMARY KEY (${columnList(op.primaryKey.columns)})`]
    : [];
  return [...drop, ...add];
}

function dropConstraintSql(op: OperationOf<'dropConstraint'>): string[] {
  if (!('name' in op.ref)) throw new UnsupportedOperationError('postgres', `${describeOperation(op)}: name the constraint to drop`);
  return [`ALTER TABLE ${q(op.table)} DROP CONSTRAINT ${q(op.ref.name)}`];
}

function createExtensionSql(op: OperationOf<'createExtension'>): string[] {
  return [
    `CREATE EXTENSION IF NOT EXISTS ${q(op.name)}${op.schema !== undefined || op.version !== undefined ? ' WITH' : ''}` +
      `${op.schema !== undefined ? ` SCHEMA ${q(op.schema)}` : ''}${op.version !== undefined ? ` VERSION ${q(op.version)}` : ''}`,
  ];
}

/** Each kind's statements in their plain form (ONLINE_FORMS has the others), given the schema before them. */
const STATEMENTS: Handlers<string[], [schema: Schema]> = {
  createTable: (op) => createTableSql(op.table),
  dropTable: STANDARD_SQL.dropTable,
  renameTable: STANDARD_SQL.renameTable,
  addColumn: addColumnSql,
  dropColumn: STANDARD_SQL.dropColumn,
  alterColumn: alterColumnSql,
  renameColumn: STANDARD_SQL.renameColumn,
  alterPrimaryKey: alterPrimaryKeySql,
  createIndex: (op) => [plainIndexSql(op)],
  dropIndex: STANDARD_SQL.dropIndex,
  renameIndex: (op) => [`ALTER INDEX ${q(op.from)} RENAME TO ${q(op.to)}`],
  addConstraint: (op) => [`ALTER TABLE ${q(op.table)} ADD ${constraintSql(op.constraint)}`],
  validateConstraint: (op) => [`ALTER TABLE ${q(op.table)} VALIDATE CONSTRAINT ${q(op.name)}`],
  dropConstraint: dropConstraintSql,
  renameConstraint: (op) => [`ALTER TABLE ${q(op.table)} RENAME CONSTRAINT ${q(op.from)} TO ${q(op.to)}`],
  setTableComment: (op) => [commentSql(`TABLE ${q(op.table)}`, op.comment)],
  createExtension: createExtensionSql,
  dropExtension: (op) => [`DROP EXTENSION IF EXISTS ${q(op.name)}`],
  createEnum: (op) => [`CREATE TYPE ${q(op.enum.name)} AS ENUM (${op.enum.values.map(quoteLiteral).join(', ')})`],
  dropEnum: (op) => [`DROP TYPE ${q(op.name)}`],
  addEnumValue: (op) => [`ALTER TYPE ${q(op.name)} ADD VALUE ${quoteLiteral(op.value)}${op.before !== undefined ? ` BEFORE ${quoteLiteral(op.before)}` : ''}`],
  dropEnumValue: dropEnumValueSql,
  renameEnum: (op) => [`ALTER TYPE ${q(op.from)} RENAME TO ${q(op.to)}`],
  execute: STANDARD_SQL.execute,
};

/** Whether a kind's SQL depends on the current schema (what the dialect asks the database for first). */
export const NEEDS_SCHEMA: KindTable<boolean> = {
  createTable: false,
  dropTable: false,
  renameTable: false,
  addColumn: false,
  dropColumn: false,
  alterColumn: true,
  renameColumn: false,
  alterPrimaryKey: true,
  createIndex: false,
  dropIndex: false,
  renameIndex: false,
  addConstraint: false,
  validateConstraint: false,
  dropConstraint: false,
  renameConstraint: false,
  setTableComment: false,
  createExtension: false,
  dropExtension: false,
  createEnum: false,
  dropEnum: false,
  addEnumValue: false,
  dropEnumValue: true,
  renameEnum: false,
  execute: false,
};

export function compilePostgres(operations: readonly Operation[], schema: Schema): CompiledOperations {
  const state = cloneSchema(schema);
  const out = new PhaseBuilder();
  for (const op of operations) {
    compileOne(out, op, state);
    // Without a known schema (nothing here needs it), PostgreSQL itself reports what is missing.
    tryApplyOperation(state, op);
  }
  const phases = out.result();
  return { statements: out.statements, foreignKeysOff: false, ...(phases ? { phases } : {}) };
}

/** Whether an index of this name is in the current schema, and valid: what a rerun needs to know. */
function indexState(name: string, ifValid: string, ifInvalid: string, ifAbsent: string): string {
  return (
    `SELECT coalesce((SELECT CASE WHEN i.indisvalid THEN '${ifValid}' ELSE '${ifInvalid}' END FROM pg_index i ` +
    `JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace ` +
    `WHERE n.nspname = current_schema() AND c.relname = ${quoteLiteral(truncateIdentifier(name))}), '${ifAbsent}') AS state`
  );
}

/** Statements, and where they run. */
interface Step {
  statements: string[];
  placement: Placement;
  resume?: Resume;
}

/** One operation's statements, in the phases they run in. */
function compileOne(out: PhaseBuilder, op: Operation, state: Schema): void {
  const steps = dispatch(ONLINE_FORMS, op, state) ?? [{ statements: dispatch(STATEMENTS, op, state), placement: placementOf(op) }];
  for (const step of steps) out.add(step.statements, step.placement, step.resume);
}

/** CREATE INDEX; PostgreSQL indexes whole columns (a prefix of one is an expression: `left(name, 10)`). */
function plainIndexSql(op: OperationOf<'createIndex'>): string {
  const prefix = op.index.columns.find((k) => typeof k !== 'string' && k.length !== undefined);
  if (prefix) throw new UnsupportedOperationError('postgres', `${describeOperation(op)} on a prefix of a column (length ${typeof prefix !== 'string' ? prefix.length : ''}); index an expression such as left(column, n) instead`);
  return createIndexSql(op.table, op.index);
}

function createIndexConcurrently(op: OperationOf<'createIndex'>): Step[] {
  // A build killed or timed out leaves an INVALID index behind: a rerun drops it and builds again.
  const sql = plainIndexSql(op).replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ');
  const resume: Resume = { state: indexState(op.index.name, 'done', 'redo', 'run'), cleanup: [`DROP INDEX CONCURRENTLY IF EXISTS ${q(op.index.name)}`] };
  return [{ statements: [sql], placement: 'none', resume }];
}

function dropIndexConcurrently(op: OperationOf<'dropIndex'>): Step[] {
  return [{ statements: [`DROP INDEX CONCURRENTLY ${q(op.name)}`], placement: 'none', resume: { state: indexState(op.name, 'run', 'run', 'done'), cleanup: [] } }];
}

function addNotValid(op: OperationOf<'addConstraint'>): Step[] {
  return [{ statements: [`ALTER TABLE ${q(op.table)} ADD ${constraintSql(op.constraint)} NOT VALID`], placement: placementOf(op) }];
}

/** NOT NULL set through a check validated in a transaction of its own. */
function notNullThroughCheck(op: OperationOf<'alterColumn'>, state: Schema): Step[] {
  const placement = placementOf(op);
  const statements = alterColumnSql(op, state);
  const at = statements.findIndex((sql) => sql.endsWith(' SET NOT NULL'));
  const check = q(truncateIdentifier(`${op.table}_${op.column}_not_null`));
  const t = q(op.table);
  return [
    { statements: [...statements.slice(0, at), `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${q(op.column)} IS NOT NULL) NOT VALID`], placement },
    { statements: [`ALTER TABLE ${t} VALIDATE CONSTRAINT ${check}`], placement: 'own' },
    // PostgreSQL 12+ takes the validated check as proof and sets NOT NULL without a scan.
    { statements: [statements[at], `ALTER TABLE ${t} DROP CONSTRAINT ${check}`, ...statements.slice(at + 1)], placement },
  ];
}

/** The kind has no online form: its plain statements, where its placement puts them. */
const plainForm = (): undefined => undefined;

/**
 * The online forms, for the operations that ask for one: outside any transaction (CONCURRENTLY),
 * or in phases of their own (NOT VALID, then VALIDATE apart); undefined for the plain form.
 */
const ONLINE_FORMS: Handlers<Step[] | undefined, [state: Schema]> = {
  createTable: plainForm,
  dropTable: plainForm,
  renameTable: plainForm,
  addColumn: plainForm,
  dropColumn: plainForm,
  alterColumn: (op, state) => (op.throughCheck && op.changes.nullable === false ? notNullThroughCheck(op, state) : undefined),
  renameColumn: plainForm,
  alterPrimaryKey: plainForm,
  createIndex: (op) => (op.concurrently ? createIndexConcurrently(op) : undefined),
  dropIndex: (op) => (op.concurrently ? dropIndexConcurrently(op) : undefined),
  renameIndex: plainForm,
  addConstraint: (op) => (op.validate === false && op.constraint.type !== 'unique' ? addNotValid(op) : undefined),
  // Apart from the statements before it: the lock that adding the constraint took is released
  // first, and the scan runs under one that lets writes through.
  validateConstraint: (op, state) => [{ statements: STATEMENTS.validateConstraint(op, state), placement: 'own' }],
  dropConstraint: plainForm,
  renameConstraint: plainForm,
  setTableComment: plainForm,
  createExtension: plainForm,
  dropExtension: plainForm,
  createEnum: plainForm,
  dropEnum: plainForm,
  // A value added to an enum cannot be used before the transaction that added it commits
  // ("unsafe use of new value"): added in a transaction of its own, so that a default or an
  // UPDATE later in the revision can use it; IF NOT EXISTS lets a rerun after a later failure pass.
  addEnumValue: (op, state) => [{ statements: STATEMENTS.addEnumValue(op, state).map((sql) => sql.replace(/ ADD VALUE /, ' ADD VALUE IF NOT EXISTS ')), placement: 'own' }],
  dropEnumValue: plainForm,
  renameEnum: plainForm,
  execute: plainForm,
};
