/**
 * TypeORM's DefaultNamingStrategy, reproduced byte for byte so that names migrator generates match
 * the ones TypeORM's `synchronize` gives the same entities.
 */
import { createHash } from 'node:crypto';

/** `OrderItem` → `order_item`, `HTTPRequestLog` → `http_request_log`. */
export function snakeCase(s: string): string {
  return s
    .replace(/([A-Z])([A-Z])([a-z])/g, '$1_$2$3')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `customer_id` → `customerId`; only a leading ASCII capital is lowered. */
export function camelCase(s: string): string {
  return s.replace(/^([A-Z])|[\s\-_](\w)/g, (_m, p1: string | undefined, p2: string | undefined) => (p2 ? p2.toUpperCase() : (p1 as string).toLowerCase()));
}

function sha1(input: string): string {
  return createHash('sha1').update(input, 'utf8').digest('hex');
}

/** `<table>_<columns sorted by code unit, joined by _>`, the key TypeORM hashes. */
function key(table: string, columns: readonly string[]): string {
  const sorted = [...columns].sort();
  return `${table.split('.').pop()!.replace('.', '_')}_${sorted.join('_')}`;
}

export const typeormNames = {
  table: (className: string, given?: string): string => given ?? snakeCase(className),
  joinColumn: (relationProperty: string, referencedProperty: string): string => camelCase(`${relationProperty}_${referencedProperty}`),
  joinTable: (firstTable: string, secondTable: string, firstProperty: string): string =>
    snakeCase(`${firstTable}_${firstProperty.replace(/\./g, '_')}_${secondTable}`),
  joinTableColumn: (table: string, column: string): string => camelCase(`${table}_${column}`),
  primaryKey: (table: string, columns: readonly string[]): string => `PK_${sha1(key(table, columns)).slice(0, 27)}`,
  unique: (table: string, columns: readonly string[]): string => `UQ_${sha1(key(table, columns)).slice(0, 27)}`,
  relationUnique: (table: string, columns: readonly string[]): string => `REL_${sha1(key(table, columns)).slice(0, 26)}`,
  foreignKey: (table: string, columns: readonly string[]): string => `FK_${sha1(key(table, columns)).slice(0, 27)}`,
  index: (table: string, columns: readonly string[], where?: string): string =>
    `IDX_${sha1(where ? `${key(table, columns)}_${where}` : key(table, columns)).slice(0, 26)}`,
  check: (table: string, expression: string): string => `CHK_${sha1(`${table.split('.').pop()}_${expression}`).slice(0, 26)}`,
};
