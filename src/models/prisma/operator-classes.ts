/**
 * Prisma's named operator classes (`ops: JsonbPathOps`), the PostgreSQL operator class each one
 * is, and the checks Prisma makes of them against the index type and the field's type
 * (psl's postgres connector, `generalized_index_validations`). The messages are Prisma's.
 */

/** Index types (`type:` of @@index) and the access method each is. */
export const INDEX_TYPES = { BTree: 'btree', Hash: 'hash', Gist: 'gist', Gin: 'gin', SpGist: 'spgist', Brin: 'brin' } as const;
export type IndexType = keyof typeof INDEX_TYPES;

const BRIN_KINDS = ['Bloom', 'MinMax', 'MinMaxMulti'] as const;
const brin = (prefix: string, kinds: readonly string[] = BRIN_KINDS): string[] => kinds.map((k) => `${prefix}${k}Ops`);

/** BRIN operator classes by the native type they fit, and the scalar type that fits without one. */
const BRIN_ROWS: { native: string[]; scalar?: string; ops: string[] }[] = [
  { native: ['Bit'], ops: ['BitMinMaxOps'] },
  { native: ['VarBit'], ops: ['VarBitMinMaxOps'] },
  { native: ['Char'], ops: brin('Bpchar', ['Bloom', 'MinMax']) },
  { native: ['Date'], ops: brin('Date') },
  { native: ['Real'], ops: brin('Float4') },
  { native: ['DoublePrecision'], scalar: 'Float', ops: brin('Float8') },
  { native: ['Inet'], ops: ['InetInclusionOps', ...brin('Inet')] },
  { native: ['SmallInt'], ops: brin('Int2') },
  { native: ['Integer'], scalar: 'Int', ops: brin('Int4') },
  { native: ['BigInt'], scalar: 'BigInt', ops: brin('Int8') },
  { native: ['Decimal'], scalar: 'Decimal', ops: brin('Numeric') },
  { native: ['Oid'], ops: brin('Oid') },
  { native: ['ByteA'], scalar: 'Bytes', ops: brin('Bytea', ['Bloom', 'MinMax']) },
  { native: ['Text', 'VarChar'], scalar: 'String', ops: brin('Text', ['Bloom', 'MinMax']) },
  { native: ['Timestamp'], scalar: 'DateTime', ops: brin('Timestamp') },
  { native: ['Timestamptz'], ops: brin('TimestampTz') },
  { native: ['Time'], ops: brin('Time') },
  { native: ['Timetz'], ops: brin('TimeTz') },
  { native: ['Uuid'], ops: brin('Uuid') },
];

/** The index type each named operator class belongs to. */
const OPS_TYPE: Record<string, IndexType[]> = {
  InetOps: ['Gist', 'SpGist'],
  JsonbOps: ['Gin'],
  JsonbPathOps: ['Gin'],
  ArrayOps: ['Gin'],
  TextOps: ['SpGist'],
  ...Object.fromEntries(BRIN_ROWS.flatMap((r) => r.ops).map((o) => [o, ['Brin'] as IndexType[]])),
};

/** `Int4MinMaxMultiOps` → `int4_minmax_multi_ops`, `TimestampTzBloomOps` → `timestamptz_bloom_ops`. */
function sqlName(op: string): string {
  return op
    .replace(/Ops$/, '')
    .replace(/TimestampTz/, 'Timestamptz')
    .replace(/TimeTz/, 'Timetz')
    .replace(/VarBit/, 'Varbit')
    .replace(/MinMax/, 'Minmax')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .concat('_ops');
}

/** The PostgreSQL operator class of a Prisma one; undefined for a name Prisma does not know. */
export function operatorClassSql(op: string): string | undefined {
  return Object.hasOwn(OPS_TYPE, op) ? sqlName(op) : undefined;
}

/** What the checks need to know of an indexed field. */
export interface IndexedField {
  name: string;
  /** The Prisma scalar (`String`, `Int` …), `Enum`, or `Unsupported`. */
  scalar: string;
  /** The native type attribute's name (`Inet`, `VarChar` …), when there is one. */
  native?: string;
  list: boolean;
}

const isJson = (f: IndexedField): boolean => f.scalar === 'Json';

/** Whether the index type can take the field without an operator class (Prisma's `supports_field_type`). */
function supportsFieldType(type: IndexType, f: IndexedField): boolean {
  if (f.scalar === 'Unsupported') return true;
  switch (type) {
    case 'BTree':
    case 'Hash':
      return true;
    case 'Gist':
    case 'SpGist':
      return f.scalar === 'String';
    case 'Gin':
      return isJson(f) || f.list;
    case 'Brin':
      return ['String', 'Bytes', 'DateTime', 'Float', 'Int', 'BigInt', 'Decimal'].includes(f.scalar);
  }
}

/**
 * Prisma's complaint about a field of a PostgreSQL index of `type` with the named operator class
 * `op` (undefined: none, or a raw one, which Prisma never checks); undefined when it has none.
 */
export function operatorClassProblem(type: IndexType, f: IndexedField, op: string | undefined): string | undefined {
  if (op && !(Object.hasOwn(OPS_TYPE, op) && OPS_TYPE[op].includes(type))) return `The given operator class \`${op}\` is not supported with the \`${type}\` index type.`;
  const general = (): string | undefined => {
    if (f.native && op) return `The given operator class \`${op}\` does not support native type \`${f.native}\` of field \`${f.name}\`.`;
    if (f.native) return `The ${type} index field type \`${f.native}\` has no default operator class.`;
    if (op) return `The given operator class \`${op}\` expects the field \`${f.name}\` to define a valid native type.`;
    return supportsFieldType(type, f) ? undefined : `The ${type} index type does not support the type of the field \`${f.name}\`.`;
  };
  const notOf = (kind: string): string => `The given operator class \`${op}\` points to the field \`${f.name}\` that is not of ${kind} type.`;
  switch (type) {
    case 'BTree':
    case 'Hash':
      return undefined;
    case 'Gist':
      return f.native === 'Inet' && op === 'InetOps' ? undefined : general();
    case 'Gin':
      if (!f.native && !op && isJson(f)) return undefined;
      if (!op && f.list) return undefined;
      if (f.native === 'JsonB' && (!op || op === 'JsonbOps' || op === 'JsonbPathOps')) return undefined;
      if (!f.native && (op === 'JsonbOps' || op === 'JsonbPathOps')) return isJson(f) ? undefined : notOf('Json');
      if (op === 'ArrayOps') return f.list ? undefined : `The given operator class \`ArrayOps\` expects the type of field \`${f.name}\` to be an array.`;
      return general();
    case 'SpGist':
      if (f.native === 'Inet' && (!op || op === 'InetOps')) return undefined;
      if (!f.native && !op && f.scalar === 'String') return undefined;
      if (!f.native && op === 'TextOps') return f.scalar === 'String' ? undefined : notOf('String');
      if (['Text', 'VarChar', 'Char'].includes(f.native ?? '') && (!op || op === 'TextOps')) return undefined;
      return general();
    case 'Brin': {
      if (f.native) {
        const row = BRIN_ROWS.find((r) => r.native.includes(f.native!));
        return row && (!op || row.ops.includes(op)) ? undefined : general();
      }
      if (!op) return BRIN_ROWS.some((r) => r.scalar === f.scalar) ? undefined : general();
      const row = BRIN_ROWS.find((r) => r.scalar && r.ops.includes(op));
      if (!row) return general();
      return row.scalar === f.scalar ? undefined : notOf(row.scalar!);
    }
  }
}
