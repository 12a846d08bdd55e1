/**
 * What a column type change does to the values already stored, judged on PostgreSQL's spelling
 * of types (`character varying(20)`, `numeric(10,2)`, `integer`) and MySQL's (`varchar(20)`,
 * `decimal(10,2)`, `int`, `tinyint`, `mediumint`, `double`). Whether it also rewrites the table is
 * each dialect's own judgement (`Dialect.tableRewrites`), made on the same shapes.
 */

/** A type sorted into the families whose values can be compared. */
export type TypeShape =
  | { family: 'string'; length: number; fixed: boolean }
  | { family: 'integer'; bits: 8 | 16 | 24 | 32 | 64 }
  | { family: 'float'; bits: 24 | 53 }
  | { family: 'numeric'; precision: number; scale: number }
  | { family: 'timestamp'; zone: boolean; precision: number }
  | { family: 'other'; name: string };

export const UNBOUNDED = Number.POSITIVE_INFINITY;
/** Digits an integer of each width needs (sign excluded) and always fits in. */
const INTEGER_DIGITS = { 8: 3, 16: 5, 24: 7, 32: 10, 64: 19 } as const;
const INTEGER_SAFE_DIGITS = { 8: 2, 16: 4, 24: 6, 32: 9, 64: 18 } as const;

export function shape(type: string): TypeShape {
  const t = type.trim().toLowerCase();
  let m: RegExpExecArray | null;
  // MySQL's text types: `tinytext` holds 255 bytes; `text` and the larger ones are taken as unbounded.
  if (t === 'text' || t === 'character varying' || t === 'varchar' || t === 'mediumtext' || t === 'longtext') return { family: 'string', length: UNBOUNDED, fixed: false };
  if (t === 'tinytext') return { family: 'string', length: 255, fixed: false };
  if ((m = /^(?:character varying|varchar)\((\d+)\)$/.exec(t))) return { family: 'string', length: Number(m[1]), fixed: false };
  if ((m = /^(?:character|char|bpchar)(?:\((\d+)\))?$/.exec(t))) return { family: 'string', length: Number(m[1] ?? 1), fixed: true };
  if (t === 'tinyint') return { family: 'integer', bits: 8 };
  if (t === 'smallint' || t === 'int2') return { family: 'integer', bits: 16 };
  if (t === 'mediumint') return { family: 'integer', bits: 24 };
  if (t === 'integer' || t === 'int' || t === 'int4') return { family: 'integer', bits: 32 };
  if (t === 'bigint' || t === 'int8') return { family: 'integer', bits: 64 };
  if (t === 'real' || t === 'float4') return { family: 'float', bits: 24 };
  if (t === 'double precision' || t === 'float8' || t === 'double') return { family: 'float', bits: 53 };
  if (t === 'numeric' || t === 'decimal') return { family: 'numeric', precision: UNBOUNDED, scale: UNBOUNDED };
  if ((m = /^(?:numeric|decimal)\((\d+)(?:,\s*(\d+))?\)$/.exec(t))) return { family: 'numeric', precision: Number(m[1]), scale: Number(m[2] ?? 0) };
  if ((m = /^timestamp(?:\((\d)\))?(?: (with|without) time zone)?$/.exec(t))) return { family: 'timestamp', zone: m[2] === 'with', precision: Number(m[1] ?? 6) };
  if ((m = /^timestamptz(?:\((\d)\))?$/.exec(t))) return { family: 'timestamp', zone: true, precision: Number(m[1] ?? 6) };
  return { family: 'other', name: t };
}

/** Characters the text of any value of a numeric type may need (digits, sign, point). */
function textWidth(s: TypeShape): number {
  if (s.family === 'integer') return INTEGER_DIGITS[s.bits] + 1;
  if (s.family === 'numeric') return s.precision + 2;
  return UNBOUNDED;
}

/**
 * Whether a value of type `from` may not survive as type `to`: cut short, rounded, out of range
 * or not convertible. Undefined when the two types cannot be compared (enums, arrays, user types).
 */
export function narrows(from: string, to: string): boolean | undefined {
  if (from === to) return false;
  const a = shape(from);
  const b = shape(to);
  // Every value has a text form.
  if (b.family === 'string' && b.length === UNBOUNDED && !b.fixed) return false;
  switch (b.family) {
    case 'string':
      if (a.family === 'string') return b.length < a.length;
      if (a.family === 'integer' || a.family === 'numeric') return textWidth(a) > b.length;
      return a.family === 'other' ? undefined : true;
    case 'integer':
      if (a.family === 'integer') return b.bits < a.bits;
      if (a.family === 'numeric') return a.scale > 0 || a.precision - a.scale > INTEGER_SAFE_DIGITS[b.bits];
      return a.family === 'other' ? undefined : true;
    case 'float':
      if (a.family === 'float') return b.bits < a.bits;
      // Integers wider than the mantissa, and decimal fractions, are rounded.
      if (a.family === 'integer') return a.bits >= b.bits;
      return a.family === 'other' ? undefined : true;
    case 'numeric':
      if (b.precision === UNBOUNDED) return a.family === 'string';
      if (a.family === 'integer') return INTEGER_DIGITS[a.bits] > b.precision - b.scale;
      if (a.family === 'numeric') return b.scale < a.scale || b.precision - b.scale < a.precision - a.scale;
      return a.family === 'other' ? undefined : true;
    case 'timestamp':
      if (a.family === 'timestamp') return b.precision < a.precision;
      return a.family === 'string' ? true : undefined;
    case 'other':
      return a.family === 'string' ? true : undefined;
  }
}
