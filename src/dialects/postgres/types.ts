/**
 * PostgreSQL types and defaults, normalised so that what a model declares (`varchar(255)`,
 * `timestamptz`, `now()`) compares equal to what the catalog reports back
 * (`character varying(255)`, `timestamp with time zone`, `now()`) — no autogenerate noise.
 */
import { mapOutsideStrings, stripOuterParens } from '../../sql/text.js';
import { canonicalNumber } from './numbers.js';

const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  bool: 'boolean',
  boolean: 'boolean',
  float: 'double precision',
  float8: 'double precision',
  'double precision': 'double precision',
  double: 'double precision',
  float4: 'real',
  real: 'real',
  decimal: 'numeric',
  numeric: 'numeric',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
};

/**
 * A type as `format_type()` spells it: `varchar(20)` → `character varying(20)`,
 * `timestamptz(3)` → `timestamp(3) with time zone`, `int[]` → `integer[]`, `char` → `character(1)`.
 */
export function normalizePgType(type: string): string {
  let t = type.trim().replace(/\s+/g, ' ');
  if (t.includes('"')) return t; // a quoted user type name: compared as written
  t = t.toLowerCase();
  let dims = '';
  const arr = /^(.*?)((?:\s*\[\s*\d*\s*\])+|\s+array)$/.exec(t);
  if (arr) {
    t = arr[1].trim();
    dims = arr[2].trim() === 'array' ? '[]' : arr[2].replace(/\s|\d/g, '');
  }
  const m = /^([a-z][a-z0-9_ ]*?)\s*(?:\(\s*([^)]*?)\s*\))?\s*(with(?:out)? time zone)?$/.exec(t);
  if (!m) return t + dims;
  const base = m[1].trim();
  const args = m[2]?.replace(/\s*,\s*/g, ',');
  const zone = m[3];
  let name = ALIASES[base] ?? base;
  if (zone && (name === 'timestamp without time zone' || name === 'time without time zone')) name = name.replace('without time zone', zone);
  if (name === 'character' && args === undefined) return `character(1)${dims}`;
  if (name === 'numeric' && args !== undefined && !args.includes(',')) return `numeric(${args},0)${dims}`;
  if (/^(timestamp|time) with(out)? time zone$/.test(name)) {
    const [word, ...rest] = name.split(' ');
    // 6 is the precision a time or timestamp without one has: `timestamptz(6)` is `timestamptz`.
    return `${word}${args !== undefined && args !== '6' ? `(${args})` : ''} ${rest.join(' ')}${dims}`;
  }
  return `${name}${args !== undefined ? `(${args})` : ''}${dims}`;
}

/** The type to declare for an auto-incrementing integer column. */
export function serialType(type: string): string {
  const t = normalizePgType(type);
  return t === 'bigint' ? 'bigserial' : t === 'smallint' ? 'smallserial' : 'serial';
}

const CAST_OF_LITERAL =
  /('(?:[^']|'')*'|\d+(?:\.\d+)?|\(-?\d+(?:\.\d+)?\))::(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_.]*)(?:\([^)]*\))?(?: (?:varying|precision|with(?:out)? time zone))*(?:\([^)]*\))?(?:\[\])*/gi;

/** A cast after a non-empty ARRAY[…] constructor: `ARRAY['USER']::"Role"[]` reads back as `ARRAY['USER'::"Role"]`. */
const CAST_OF_ARRAY = /^(ARRAY\[.+\])::(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_. ]*)(?:\([^)]*\))?(?:\[\])+$/is;

/** A JSON object or array literal in canonical form (keys sorted, as jsonb stores them); else undefined. */
function canonicalJson(text: string): string | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    const sort = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return undefined;
  }
}

/**
 * The elements of a one-dimensional array literal (`{a,"b c",NULL}`, the text between its
 * quotes), each as an SQL literal of an element of `elementType`: strings quoted, numbers bare,
 * booleans `true`/`false`, NULL `null`. Undefined for anything else (nested arrays, bad syntax).
 */
function arrayLiteralElements(body: string, elementType: string): string[] | undefined {
  const m = /^\s*\{(.*)\}\s*$/s.exec(body);
  if (!m) return undefined;
  const inner = m[1];
  if (inner.trim() === '') return [];
  const out: string[] = [];
  const boolean = /^bool(ean)?$/.test(elementType);
  let i = 0;
  while (i <= inner.length) {
    while (inner[i] === ' ') i++;
    let value: string;
    let quoted = false;
    if (inner[i] === '"') {
      quoted = true;
      value = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === '\\') i++;
        value += inner[i] ?? '';
        i++;
      }
      if (inner[i] !== '"') return undefined;
      i++;
      while (inner[i] === ' ') i++;
    } else {
      const end = inner.indexOf(',', i);
      value = inner.slice(i, end < 0 ? inner.length : end).trim();
      i = end < 0 ? inner.length : end;
      if (/[{}"\\]/.test(value) || value === '') return undefined;
    }
    if (!quoted && /^null$/i.test(value)) out.push('null');
    else if (boolean && /^(t|true|f|false)$/i.test(value)) out.push(/^t/i.test(value) ? 'true' : 'false');
    else if (!quoted && /^-?\d+(\.\d+)?$/.test(value)) out.push(value);
    else out.push(`'${value.replace(/'/g, "''")}'`);
    if (i >= inner.length) break;
    if (inner[i] !== ',') return undefined;
    i++;
  }
  return out;
}

/**
 * An array default as an ARRAY constructor: `'{}'::text[]` (how a hand-written migration's
 * `DEFAULT '{}'` reads back) is `ARRAY[]`, `'{a,b}'` is `ARRAY['a', 'b']`; an empty constructor
 * loses its cast, which the column's type makes redundant.
 */
function asArrayConstructor(s: string, type: string): string {
  if (/^ARRAY\[\s*\]\s*::/i.test(s)) return 'ARRAY[]';
  const literal = /^'((?:[^']|'')*)'$/s.exec(s);
  if (!literal) return s;
  const elements = arrayLiteralElements(literal[1].replace(/''/g, "'"), type.replace(/\[\]$/, ''));
  return elements === undefined ? s : `ARRAY[${elements.join(', ')}]`;
}

const DATETIME = /^'(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?'$/i;

/**
 * A date/time literal of a date, time or timestamp column as the column stores it: a
 * timestamp without time zone drops the offset, a date keeps the day, a time the time of day,
 * a timestamp with time zone is the instant (UTC).
 */
function canonicalDateTime(literal: string, type: string): string | undefined {
  const m = DATETIME.exec(literal);
  if (!m) return undefined;
  const [, date, time = '00:00:00', fraction = '', zone] = m;
  const hms = time.length === 5 ? `${time}:00` : time;
  const frac = fraction.replace(/0+$/, '').replace(/^\.$/, '');
  const t = type.toLowerCase();
  if (/^date\b/.test(t)) return `'${date}'`;
  if (/^time\b(?!.*with time zone)/.test(t) || /^time\(\d+\) without/.test(t)) return m[2] ? `'${hms}${frac}'` : undefined;
  if (/^timestamp\b.*with time zone|^timestamptz/.test(t)) {
    const offset = !zone || /^z$/i.test(zone) ? '+00:00' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const instant = new Date(`${date}T${hms}${fraction}${offset}`);
    return Number.isNaN(instant.getTime()) ? undefined : `'${instant.toISOString().replace(/\.000Z$/, 'Z')}'`;
  }
  if (/^timestamp\b/.test(t)) return `'${date} ${hms}${frac}'`;
  return undefined;
}

/**
 * A default as comparable text: casts after literals removed (`'x'::character varying` → `'x'`),
 * numbers exact and unquoted (also inside ARRAY[…]), keywords lower-cased outside strings,
 * `CURRENT_TIMESTAMP` ≡ `now()`, array constructors without their cast and array literals
 * (`'{a}'`) as constructors (`ARRAY['a']`), JSON literals of
 * json/jsonb columns by meaning (PostgreSQL re-prints a jsonb constant with its own spacing and
 * key order), date/time literals by the value the column stores.
 */
export function normalizePgDefault(expression: string | undefined, column?: { type: string }): string | undefined {
  if (expression === undefined) return undefined;
  let s = stripOuterParens(expression);
  s = s.replace(CAST_OF_ARRAY, '$1');
  // Casts of literals: 'x'::text, 'x'::character varying(20), '{}'::jsonb, (-1)::integer
  s = s.replace(CAST_OF_LITERAL, '$1');
  s = stripOuterParens(s);
  if (column && /^[^[]+\[\]$/.test(normalizePgType(column.type))) s = asArrayConstructor(s, normalizePgType(column.type));
  if (column && /\bjsonb?\b/i.test(column.type)) {
    s = s.replace(/'((?:[^']|'')*)'/g, (m, body: string) => {
      const json = canonicalJson(body.replace(/''/g, "'"));
      return json === undefined ? m : `'${json.replace(/'/g, "''")}'`;
    });
  }
  if (/^null$/i.test(s)) return undefined;
  const num = /^'?\(?(-?\d+(?:\.\d+)?)\)?'?$/.exec(s);
  if (num) return canonicalNumber(num[1]);
  if (column) {
    const dt = canonicalDateTime(s, normalizePgType(column.type));
    if (dt !== undefined) return dt;
  }
  // Numbers inside ARRAY[…] and the like, quoted or in parentheses by PostgreSQL's re-print;
  // other string literals are left exactly as they are.
  s = mapOutsideStrings(
    s,
    (other) => other.replace(/\((-?\d+(?:\.\d+)?)\)|(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.])/g, (m, paren?: string, bare?: string) => canonicalNumber(paren ?? bare ?? m)),
    (lit) => (/^'-?\d+(?:\.\d+)?'$/.test(lit) ? canonicalNumber(lit.slice(1, -1)) : lit),
  );
  s = mapOutsideStrings(s, (other) => other.toLowerCase().replace(/\s+/g, ' ').replace(/ ?, ?/g, ', '));
  if (s === 'current_timestamp' || s === 'now()' || s === 'transaction_timestamp()') return 'now()';
  return s;
}

/**
 * The operator classes PostgreSQL 15 picks by default for some column type, per index method:
 * the catalog never shows them (pg_opclass.opcdefault), so a model that names one compares equal
 * to an index without one.
 */
const DEFAULT_OPCLASSES: Record<string, ReadonlySet<string>> = {
  btree: new Set(
    'array_ops bit_ops bool_ops bpchar_ops bytea_ops char_ops date_ops enum_ops float4_ops float8_ops inet_ops int2_ops int4_ops int8_ops interval_ops jsonb_ops macaddr8_ops macaddr_ops money_ops multirange_ops name_ops numeric_ops oid_ops oidvector_ops pg_lsn_ops range_ops record_ops text_ops tid_ops time_ops timestamp_ops timestamptz_ops timetz_ops tsquery_ops tsvector_ops uuid_ops varbit_ops xid8_ops'.split(' '),
  ),
  hash: new Set(
    'aclitem_ops array_ops bool_ops bpchar_ops bytea_ops char_ops cid_ops date_ops enum_ops float4_ops float8_ops inet_ops int2_ops int4_ops int8_ops interval_ops jsonb_ops macaddr8_ops macaddr_ops multirange_ops name_ops numeric_ops oid_ops oidvector_ops pg_lsn_ops range_ops record_ops text_ops tid_ops time_ops timestamp_ops timestamptz_ops timetz_ops uuid_ops xid8_ops xid_ops'.split(' '),
  ),
  gin: new Set(['array_ops', 'jsonb_ops', 'tsvector_ops']),
  gist: new Set(['box_ops', 'circle_ops', 'multirange_ops', 'point_ops', 'poly_ops', 'range_ops', 'tsquery_ops', 'tsvector_ops']),
  spgist: new Set(['box_ops', 'inet_ops', 'poly_ops', 'quad_point_ops', 'range_ops', 'text_ops']),
  brin: new Set(
    'bit_minmax_ops box_inclusion_ops bpchar_minmax_ops bytea_minmax_ops char_minmax_ops date_minmax_ops float4_minmax_ops float8_minmax_ops inet_inclusion_ops int2_minmax_ops int4_minmax_ops int8_minmax_ops interval_minmax_ops macaddr8_minmax_ops macaddr_minmax_ops name_minmax_ops numeric_minmax_ops oid_minmax_ops pg_lsn_minmax_ops range_inclusion_ops text_minmax_ops tid_minmax_ops time_minmax_ops timestamp_minmax_ops timestamptz_minmax_ops timetz_minmax_ops uuid_minmax_ops varbit_minmax_ops'.split(' '),
  ),
};

/** An operator class as the catalog reports it: undefined when it is its method's default. */
export function normalizePgOpclass(method: string, opclass: string): string | undefined {
  const name = opclass.replace(/^(pg_catalog|public)\./, '').toLowerCase();
  return DEFAULT_OPCLASSES[method.toLowerCase()]?.has(name) ? undefined : name;
}
