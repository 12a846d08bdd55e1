/** TypeORM's postgres driver: its column types, defaults, extensions and enum types. */
import { quoteLiteral } from '../../../dialects/dialect.js';
import { pgTypeName } from '../../sql.js';
import { json, standardEnumCheck, unwritableDefault, withSize, type ColumnTypeInput, type DescribedColumnInput, type DescribedColumnParts, type TypeOrmDriver } from './driver.js';

const PG_NORMAL: Record<string, string> = {
  Number: 'integer',
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  String: 'character varying',
  varchar: 'character varying',
  Date: 'timestamp without time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  Boolean: 'boolean',
  bool: 'boolean',
  'simple-array': 'text',
  'simple-json': 'text',
  int2: 'smallint',
  int8: 'bigint',
  decimal: 'numeric',
  float: 'double precision',
  float8: 'double precision',
  float4: 'real',
  char: 'character',
  varbit: 'bit varying',
};

/** The types TypeORM's postgres driver takes (its supportedDataTypes), besides its simple-* types. */
const PG_SUPPORTED = new Set([
  'int', 'int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'decimal', 'numeric', 'real', 'float', 'float4', 'float8',
  'double precision', 'money', 'character varying', 'varchar', 'character', 'char', 'text', 'citext', 'hstore', 'bytea', 'bit',
  'varbit', 'bit varying', 'timetz', 'timestamptz', 'timestamp', 'timestamp without time zone', 'timestamp with time zone', 'date',
  'time', 'time without time zone', 'time with time zone', 'interval', 'bool', 'boolean', 'point', 'line', 'lseg', 'box', 'path',
  'polygon', 'circle', 'cidr', 'inet', 'macaddr', 'macaddr8', 'tsvector', 'tsquery', 'uuid', 'xml', 'json', 'jsonb', 'jsonpath',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange', 'int8multirange', 'nummultirange',
  'tsmultirange', 'tstzmultirange', 'datemultirange', 'geometry', 'geography', 'cube', 'ltree', 'vector', 'halfvec',
  'simple-array', 'simple-json', 'Number', 'String', 'Date', 'Boolean',
]);

/** TypeORM's postgres driver's normalizeDatetimeFunction: CURRENT_TIMESTAMP → now(), and so on. */
function pgDatetimeFunction(value: string): string {
  const m = /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME)(\(\d+\))?$/.exec(value.trim().toUpperCase());
  if (!m) return value;
  const [, fn, precision = ''] = m;
  const prefix = "('now'::text)";
  switch (fn) {
    case 'CURRENT_TIMESTAMP':
      return precision ? `${prefix}::timestamp${precision} with time zone` : 'now()';
    case 'CURRENT_DATE':
      return `${prefix}::date`;
    case 'CURRENT_TIME':
      return `${prefix}::time${precision} with time zone`;
    case 'LOCALTIMESTAMP':
      return `${prefix}::timestamp${precision} without time zone`;
    default:
      return `${prefix}::time${precision} without time zone`;
  }
}

/** Extensions TypeORM's postgres driver installs by column type (checkMetadataForExtensions). */
const PG_EXTENSIONS: Record<string, string> = {
  citext: 'citext',
  hstore: 'hstore',
  cube: 'cube',
  geometry: 'postgis',
  geography: 'postgis',
  ltree: 'ltree',
  vector: 'vector',
  halfvec: 'vector',
};

/** The column types `generated: 'increment'` becomes: serial's underlying types. */
const SERIAL: Record<string, string> = { integer: 'integer', int: 'integer', int4: 'integer', smallint: 'smallint', int2: 'smallint', bigint: 'bigint', int8: 'bigint' };

/** A DataSource column on TypeORM's postgres driver: enum types, serial and identity columns, UUID defaults. */
function describedColumn({ column: c, table: t, where, spelled, enumType, uuidGenerator, fail }: DescribedColumnInput): DescribedColumnParts {
  const parts: DescribedColumnParts = { type: '' };
  if (c.type === 'enum' || c.type === 'simple-enum') {
    // PostgresQueryRunner.buildEnumName
    const name = c.enumName ?? `${t.name}_${c.name.toLowerCase()}_enum`;
    parts.type = `${pgTypeName(name)}${c.array ? '[]' : ''}`;
    enumType({ name, values: c.enum ?? [] });
  } else if (c.generated === 'increment' || c.generated === 'rowid') {
    const serial = SERIAL[c.type];
    if (!serial) fail(`${where} is generated ("${c.generated}") with type ${c.type}, for which TypeORM writes no column type (serial needs integer, smallint or bigint)`);
    parts.type = serial;
    parts.autoincrement = true;
  } else if (c.generated === 'identity') {
    parts.type = spelled(false);
    parts.identity = c.identity === 'ALWAYS' ? 'always' : 'by default';
  } else {
    parts.type = spelled();
  }
  if (c.generated === 'uuid' && c.default === undefined) parts.default = uuidGenerator ?? 'uuid_generate_v4()';
  return parts;
}

const SPATIAL = new Set(['geometry', 'geography']);

/** A PostGIS type as TypeORM writes it: `geography(Point,4326)`; an SRID without a feature type is left out. */
function spatialType(type: string, input: ColumnTypeInput): string {
  if (input.spatialFeatureType === undefined) return type;
  return `${type}(${input.spatialFeatureType}${input.srid !== undefined ? `,${input.srid}` : ''})`;
}

export const postgresTypeOrm: TypeOrmDriver = {
  name: 'postgres',
  title: 'PostgreSQL',
  charset: 'ignored',
  generatedColumns: 'stored',
  maxAliasLength: 63,
  lengthTypes: new Set(['character varying', 'varchar', 'character', 'char', 'bit', 'varbit', 'bit varying', 'vector', 'halfvec']),
  columnType(input) {
    if (input.enum && (input.type === 'enum' || input.type === 'simple-enum')) {
      const name = input.enumName ?? `${input.table}_${input.column.toLowerCase()}_enum`;
      return { type: `${pgTypeName(name)}${input.array ? '[]' : ''}`, enumType: { name, values: input.enum } };
    }
    if (!PG_SUPPORTED.has(input.type)) return undefined;
    const type = PG_NORMAL[input.type] ?? input.type;
    let full: string;
    const zone = /^(timestamp|time) (with(?:out)? time zone)$/.exec(type);
    if (zone) full = input.precision !== undefined ? `${zone[1]}(${input.precision}) ${zone[2]}` : type;
    else if (type === 'numeric' && input.precision === undefined) full = type; // TypeORM drops a scale without precision
    else if (SPATIAL.has(type)) full = spatialType(type, input);
    else full = withSize(type, input);
    return { type: `${full}${input.array ? '[]' : ''}` };
  },
  defaultValue(value, column) {
    if (value === null || value === undefined) return undefined;
    if (column.array && Array.isArray(value)) return quoteLiteral(`{${value.map(String).join(',')}}`);
    // Numbers too are quoted, as TypeORM writes them: a bigint default of 0 is stored as '0'::bigint.
    if (typeof value === 'number' || typeof value === 'string') return quoteLiteral(String(value));
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    return json(value);
  },
  defaultFunction: (value) => {
    if (typeof value !== 'string') throw unwritableDefault(value, 'postgres');
    return pgDatetimeFunction(value);
  },
  special: {
    createDate: { type: 'timestamp without time zone', default: 'now()' },
    updateDate: { type: 'timestamp without time zone', default: 'now()' },
    deleteDate: { type: 'timestamp without time zone' },
    version: { type: 'integer' },
  },
  extensionOf: (type) => PG_EXTENSIONS[type],
  uuid: { default: 'uuid_generate_v4()', extension: 'uuid-ossp' },
  identity: 'identity',
  increments: 'any column',
  numbers: /^(?:integer|smallint|bigint)$/,
  numbersTitle: 'integer, smallint or bigint',
  checks: true,
  partialIndexes: true,
  enumCheck: standardEnumCheck,
  dataSource: {
    types: ['postgres'],
    typeOption: "type: 'postgres'",
    buildOptions: { type: 'postgres', nativeDriver: {} },
    searchSchema: true,
    extensions: true,
    fullType: (fullType) => fullType.replace(/ array$/, '[]'),
    column: describedColumn,
    tableProblem: (t, entity) =>
      t.exclusions.length
        ? `${entity} has the exclusion constraint "${t.exclusions[0].name}" (EXCLUDE ${t.exclusions[0].expression}), which migrator's schema cannot describe; remove @Exclusion and create it with op.execute in a revision`
        : undefined,
    // TypeORM's PostgreSQL query runner writes no fulltext index: `fulltext: true` is a plain index there.
    indexMethod: (ix) => ({ using: ix.spatial ? 'gist' : ix.type?.toLowerCase() }),
  },
};
