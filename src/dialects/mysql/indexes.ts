/**
 * Indexes as MariaDB builds them from a plain statement, for comparison only. An index on a
 * column too long for a key is not refused by MariaDB (InnoDB, DYNAMIC or COMPRESSED rows, the
 * default): it builds
 *   - a plain index on the column's longest prefix that fits InnoDB's 3072 bytes a key part,
 *     `KEY … (body(768))` for a utf8mb4 TEXT column (3072 / 4 bytes a character), and
 *   - a unique index as a hash of the values, `UNIQUE KEY … (token) USING HASH`.
 * Both are the index the statement asked for, which a model states as a whole-column key: so a
 * prefix of exactly that length on such a column, and the HASH of a unique index, compare as the
 * plain key — on the model's side too, where a prefix that long says the same. Any other prefix
 * is compared as it stands (MySQL and MariaDB report the prefix a key states).
 */
import type { Column, Index, IndexKey, Table } from '../../schema/schema.js';
import { mysqlCollation } from './native.js';
import { normalizeMysqlType } from './types.js';

/** The longest key part InnoDB takes (16 KiB pages, DYNAMIC or COMPRESSED rows), in bytes. */
const MAX_KEY_PART_BYTES = 3072;

/** The characters of each BLOB and TEXT type, as MariaDB counts them for a key part (Field_blob::char_length). */
const BLOB_CHARS: Record<string, number> = {
  tinytext: 255,
  tinyblob: 255,
  text: 65535,
  blob: 65535,
  mediumtext: 16777215,
  mediumblob: 16777215,
  longtext: 4294967295,
  longblob: 4294967295,
};

/** Types that hold bytes, one a character. */
const BINARY = /^(?:tinyblob|blob|mediumblob|longblob|varbinary\(\d+\)|binary\(\d+\))$/;

/** The bytes a character takes at most in each character set (information_schema.CHARACTER_SETS.MAXLEN) that takes more than one. */
const MAX_BYTES: Record<string, number> = {
  utf8mb4: 4, utf16: 4, utf16le: 4, utf32: 4, gb18030: 4,
  utf8mb3: 3, utf8: 3, ujis: 3, eucjpms: 3,
  ucs2: 2, big5: 2, cp932: 2, euckr: 2, gb2312: 2, gbk: 2, sjis: 2,
};

/** The bytes a character of a collation's character set takes at most (a collation is named after its set: `utf8mb4_general_ci`). */
function bytesPerChar(collation: string): number {
  const set = Object.keys(MAX_BYTES)
    .filter((name) => collation === name || collation.startsWith(`${name}_`))
    .sort((a, b) => b.length - a.length)[0];
  return set ? MAX_BYTES[set] : 1;
}

/**
 * The prefix MariaDB keys a column on when an index names it whole and it is too long for a key
 * part: the characters of the column that fit in 3072 bytes (all of a TINYTEXT's 255); undefined
 * for a column a key holds whole, or one whose character set is not known.
 */
export function automaticPrefix(column: Column, table: Table): number | undefined {
  const type = normalizeMysqlType(column.type);
  const binary = BINARY.test(type);
  const collation = binary ? 'binary' : mysqlCollation(column.collation, table);
  if (collation === undefined) return undefined;
  const fits = Math.floor(MAX_KEY_PART_BYTES / bytesPerChar(collation));
  const blob = BLOB_CHARS[type];
  if (blob !== undefined) return Math.min(fits, blob);
  const length = /^(?:varchar|varbinary)\((\d+)\)$/.exec(type);
  return length && Number(length[1]) > fits ? fits : undefined;
}

/**
 * An index as compared on `table` (the database's): a plain index's key part whose prefix is the
 * one MariaDB gives the column by itself is the whole column, and a unique index USING HASH is
 * the unique index.
 */
export function normalizeMysqlIndex(index: Index, table: Table): Index {
  if (index.unique) {
    if (index.using !== 'hash') return index;
    const { using: _using, ...rest } = index;
    return rest;
  }
  let changed = false;
  const columns = index.columns.map((key): IndexKey => {
    if (typeof key === 'string' || key.column === undefined || key.length === undefined) return key;
    const column = table.columns.find((c) => c.name === key.column);
    if (!column || automaticPrefix(column, table) !== key.length) return key;
    changed = true;
    const { length: _length, ...rest } = key;
    return rest;
  });
  return changed ? { ...index, columns } : index;
}
