/**
 * MySQL and MariaDB types and defaults, normalised so that what a model declares (`integer`,
 * `boolean`, `varchar(255)`, `now()`) compares equal to what information_schema reports back
 * (`int(11)`, `tinyint(1)`, `varchar(255)`, `current_timestamp()`).
 */
import type { Column } from '../../schema/schema.js';
import { stripOuterParens } from '../../sql/text.js';
import { quoteMysqlLiteral } from './quote.js';

/** What a backslash and the character after it stand for in a MySQL string literal (others: the character). */
const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/**
 * `s` with `outside` applied to the text between single-quoted string literals, and each literal
 * written the one way quoteMysqlLiteral writes its value: MySQL reads a quote inside as `''` or
 * `\'` and a backslash as `\\`, and information_schema reports either (`'it''s'` in a column's
 * type and default, `'it\'s'` in a check clause). A quote never closed runs to the end.
 */
export function mapMysqlStrings(s: string, outside: (text: string) => string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf("'", i);
    if (open < 0) break;
    out += outside(s.slice(i, open));
    let value = '';
    let j = open + 1;
    for (; j < s.length; j++) {
      const ch = s[j];
      if (ch === '\\' && j + 1 < s.length) {
        const next = s[++j];
        value += ESCAPES[next] ?? next;
      } else if (ch === "'") {
        if (s[j + 1] !== "'") break;
        value += "'";
        j++;
      } else value += ch;
    }
    out += quoteMysqlLiteral(value);
    i = j + 1;
  }
  return i < s.length ? out + outside(s.slice(i)) : out;
}

const ALIASES: Record<string, string> = {
  integer: 'int',
  int4: 'int',
  int8: 'bigint',
  int2: 'smallint',
  int1: 'tinyint',
  int3: 'mediumint',
  middleint: 'mediumint',
  bool: 'tinyint(1)',
  boolean: 'tinyint(1)',
  'double precision': 'double',
  real: 'double',
  float8: 'double',
  float4: 'float',
  numeric: 'decimal',
  dec: 'decimal',
  fixed: 'decimal',
  'character varying': 'varchar',
  character: 'char',
  'long varchar': 'mediumtext',
  long: 'mediumtext',
};

/** Integer types, whose display width (`int(11)`) says nothing about what they hold. */
const INTEGER = /^(tinyint|smallint|mediumint|int|bigint)(\(\d+\))?( unsigned)?( zerofill)?$/;

/**
 * A type as information_schema's COLUMN_TYPE spells it, display widths dropped: `integer` →
 * `int`, `int(11)` → `int`, `boolean` → `tinyint(1)`, `decimal` → `decimal(10,0)`, `char` →
 * `char(1)`, `year(4)` → `year`, `enum('a', 'b')` → `enum('a','b')`.
 */
export function normalizeMysqlType(type: string): string {
  let t = mapMysqlStrings(type.trim().replace(/\s+/g, ' '), (s) => s.toLowerCase().replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')'));
  const base = /^([a-z ]+?)(\(.*\))?((?: unsigned| signed| zerofill)*)$/.exec(t);
  if (base) {
    const name = ALIASES[base[1]] ?? base[1];
    t = `${name}${name.includes('(') ? '' : (base[2] ?? '')}${base[3].replace(/ signed/, '')}`;
  }
  if (t === 'tinyint(1)') return t;
  const int = INTEGER.exec(t);
  if (int) return `${int[1]}${int[3] ?? ''}${int[4] ?? ''}`;
  if (t === 'decimal') return 'decimal(10,0)';
  if (/^decimal\(\d+\)$/.test(t)) return t.replace(')', ',0)');
  if (t === 'char' || t === 'binary') return `${t}(1)`;
  if (t === 'bit') return 'bit(1)';
  // FLOAT(p) is FLOAT up to 24 bits of precision, DOUBLE from 25 (FLOAT(M,D) stays as written).
  const float = /^float\((\d+)\)$/.exec(t);
  if (float) return Number(float[1]) <= 24 ? 'float' : 'double';
  // YEAR is four digits: MariaDB reports year(4), MySQL 8 year.
  if (t === 'year(4)') return 'year';
  if (t === 'json' || t === 'datetime(0)' || t === 'timestamp(0)' || t === 'time(0)') return t.replace('(0)', '');
  return t;
}

/** Types whose defaults are numbers, written without quotes. */
const NUMERIC = /^(tinyint|smallint|mediumint|int|bigint|decimal|float|double|bit|year)/;

/** The current time, in every spelling MySQL and MariaDB take, with its precision. */
const NOW = /^(?:current_timestamp|now|localtime|localtimestamp)(?:\s*\(\s*(\d*)\s*\))?$/i;
/** Today's date and the time of day (MariaDB reports `curdate()`, `curtime()`). */
const TODAY = /^(?:current_date|curdate)(?:\s*\(\s*\))?$/i;
const TIME_NOW = /^(?:current_time|curtime)(?:\s*\(\s*(\d*)\s*\))?$/i;

/**
 * A date or time literal as the server stores it for a column of `type`: the parts the literal
 * leaves out filled in and the fraction written to the column's precision (`'12:00'` on a time is
 * `'12:00:00'`, `'12:00:00.5'` on a time(3) `'12:00:00.500'`, `'2000-01-01'` on a datetime
 * `'2000-01-01 00:00:00'`). A literal in another form, or with more fraction digits than the
 * column keeps (which the server rounds), is left as written.
 */
function temporalLiteral(literal: string, type: string): string {
  const kind = /^(date|time|datetime|timestamp)(?:\((\d)\))?$/.exec(type);
  const value = /^'([^'\\]*)'$/.exec(literal)?.[1];
  if (!kind || value === undefined) return literal;
  const digits = Number(kind[2] ?? 0);
  const clock = (text: string): string | undefined => {
    const m = /^(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?$/.exec(text);
    if (!m || (m[4] ?? '').length > digits) return undefined;
    const pad = (n: string | undefined): string => (n ?? '0').padStart(2, '0');
    return `${pad(m[1])}:${pad(m[2])}:${pad(m[3])}${digits ? `.${(m[4] ?? '').padEnd(digits, '0')}` : ''}`;
  };
  const day = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](.*))?$/.exec(value);
  let out: string | undefined;
  if (kind[1] === 'time') out = clock(value);
  else if (day && kind[1] === 'date') out = day[4] === undefined ? `${day[1]}-${day[2].padStart(2, '0')}-${day[3].padStart(2, '0')}` : undefined;
  else if (day) {
    const time = day[4] === undefined ? clock('0:0:0') : clock(day[4]);
    out = time && `${day[1]}-${day[2].padStart(2, '0')}-${day[3].padStart(2, '0')} ${time}`;
  }
  return out === undefined ? literal : `'${out}'`;
}

/**
 * The precision MariaDB gives the current time as a datetime or timestamp column's default or ON
 * UPDATE: the column's where the expression has none, or a finer one than the column keeps
 * (`datetime(3) DEFAULT CURRENT_TIMESTAMP(6)`, as TypeORM writes `@CreateDateColumn({ precision: 3 })`,
 * is stored `current_timestamp(3)`; `datetime(6) DEFAULT CURRENT_TIMESTAMP` `current_timestamp(6)`); a
 * coarser one stays. MySQL refuses a precision other than the column's, so such a default never
 * reaches a MySQL database. On another type, or without one, the precision is as written.
 */
function serverTimestampPrecision(precision: number, type: string | undefined): number {
  const column = type === undefined ? undefined : /^(?:datetime|timestamp)(?:\((\d)\))?$/.exec(type);
  if (!column) return precision;
  const kept = Number(column[1] ?? 0);
  return precision === 0 || precision > kept ? kept : precision;
}

/**
 * A default as MariaDB reports it in information_schema (string literals quoted, `NULL` for
 * none, `current_timestamp()`), for comparison: the current time as `CURRENT_TIMESTAMP[(p)]` with
 * the precision the server gives it on the column,
 * numbers as numbers (`'5'` on an integer column is `5`; `1.50` is `1.5`), booleans as 1 and 0,
 * keywords lower case outside string literals.
 */
export function normalizeMysqlDefault(expression: string | undefined, column?: Pick<Column, 'type'>): string | undefined {
  if (expression === undefined) return undefined;
  let s = stripOuterParens(mapMysqlStrings(expression.trim(), (other) => other));
  if (/^null$/i.test(s)) return undefined;
  const now = NOW.exec(s);
  if (now) {
    const precision = serverTimestampPrecision(Number(now[1] || 0), column && normalizeMysqlType(column.type));
    return precision ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP';
  }
  if (TODAY.test(s)) return 'CURRENT_DATE';
  const timeNow = TIME_NOW.exec(s);
  if (timeNow) return timeNow[1] && timeNow[1] !== '0' ? `CURRENT_TIME(${timeNow[1]})` : 'CURRENT_TIME';
  if (/^true$/i.test(s)) return '1';
  if (/^false$/i.test(s)) return '0';
  const type = column ? normalizeMysqlType(column.type) : '';
  s = temporalLiteral(s, type);
  if (NUMERIC.test(type)) {
    const quoted = /^'(-?[\d.]+(?:e[-+]?\d+)?)'$/i.exec(s);
    if (quoted) s = quoted[1];
    if (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return String(Number(s));
    const bits = /^b'([01]+)'$/i.exec(s);
    if (bits) return String(parseInt(bits[1], 2));
  }
  return mapMysqlStrings(s, (other) => other.toLowerCase().replace(/\s+/g, ' '));
}

/**
 * A CHECK expression as MySQL reports it back, for comparison: names unquoted, keywords lower
 * case and spacing dropped outside string literals, outer parentheses removed.
 */
export function normalizeMysqlExpression(expression: string): string {
  // Literals first, each written one way: a `\'` inside would mislead the parentheses' reading.
  const s = mapMysqlStrings(stripOuterParens(mapMysqlStrings(expression, (other) => other)), (other) =>
    other
      .replace(/`((?:[^`]|``)*)`/g, (_m, name: string) => name.replace(/``/g, '`'))
      .replace(/"((?:[^"]|"")*)"/g, (_m, name: string) => name.replace(/""/g, '"'))
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/\s*([(),<>=!+\-*/])\s*/g, '$1'),
  );
  return stripOuterParens(s);
}
