/** Small readers of prisma-ast nodes. */
import type { Attribute, BlockAttribute, Field, Model, View } from '@mrleebo/prisma-ast';

/** A block with fields: a model (a table) or a view (left to the user's SQL). */
export type ModelBlock = Model | View;

export const fieldsOf = (m: ModelBlock): Field[] => (m.properties ?? []).filter((p): p is Field => p.type === 'field');
export const blockAttrsOf = (m: ModelBlock): BlockAttribute[] => (m.properties ?? []).filter((p): p is BlockAttribute => p.type === 'attribute');
export const typeName = (f: Field): string => (typeof f.fieldType === 'string' ? f.fieldType : f.fieldType.name);
export const spelled = (a: { name: string; group?: string }, block = false): string => `${block ? '@@' : '@'}${a.group ? `${a.group}.` : ''}${a.name}`;

/** A field's attribute of that name (not a native type's). */
export function fieldAttr(f: Field, name: string): Attribute | undefined {
  return f.attributes?.find((a) => a.name === name && !a.group);
}
