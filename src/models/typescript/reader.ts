/**
 * Reading TypeScript entity files: parsed with the TypeScript compiler that ts-morph ships,
 * syntax only — no type checking, no program, nothing run. What the entity files import (base
 * classes, enums, constants, decorator helpers) is followed through the project's files.
 */
import path from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from './compiler-api.js';
import type { Schema } from '../../schema/schema.js';
import { buildSchema } from './build.js';
import { decoratorsOf, EntityReader, LEFT_ALONE_MODULES, type EntityMeta } from './entities.js';
import { namingStrategy } from './naming.js';
import { SourceProject } from './project.js';
import { typeOrmDriver } from './drivers/index.js';
import { typeOrmRulesAt, type TypeOrmRules } from './typeorm-version.js';
import { Evaluator, ModelError, ModelErrors } from './values.js';

export interface EntityReadOptions {
  /** The project's naming strategy (an object with TypeORM's naming methods). */
  namingStrategy?: object;
  /** The TypeORM whose rules to follow; by default the project's (see typeorm-version.ts). */
  typeorm?: TypeOrmRules;
}

/** The schema TypeORM would build from the entity classes in `files`, on `dialect`. */
export function readEntityFiles(files: readonly string[], dialect: string, options: EntityReadOptions = {}): Schema {
  // Decorator libraries left alone are known by name: their declarations are never read.
  const project = new SourceProject((pkg) => LEFT_ALONE_MODULES.has(pkg));
  const ev = new Evaluator(project);
  const reader = new EntityReader(ev);
  const sourceFiles = files.map((f) => project.file(f));
  // Every class is read before any error stops the run, so that one run names each class the
  // reader cannot take (a class shares the error of a base class it extends: named once).
  const problems: ModelError[] = [];
  const collect = (e: unknown): void => {
    if (!(e instanceof ModelError)) throw e;
    if (!problems.some((p) => p.message === e.message)) problems.push(e);
  };
  for (const sf of sourceFiles) {
    try {
      reader.checkNestedClasses(sf, ev.fileScope(sf));
      reader.readAppliedDecorators(sf, ev.fileScope(sf));
    } catch (e) {
      collect(e);
    }
  }
  const classes: EntityMeta[] = [];
  for (const sf of sourceFiles) {
    const scope = ev.fileScope(sf);
    for (const cls of sf.statements) {
      if (!tsc.isClassDeclaration(cls)) continue;
      const decorated = decoratorsOf(cls).length > 0 || cls.members.some((m) => tsc.canHaveDecorators(m) && decoratorsOf(m).length > 0);
      if (!decorated) continue;
      try {
        classes.push(reader.readClass(cls, scope));
      } catch (e) {
        collect(e);
      }
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ModelErrors(problems);
  // TypeORM registers entity classes as their files run: each file after the ones it imports.
  const rank = new Map(project.evaluationOrder(sourceFiles).map((sf, i) => [sf, i]));
  const registered = (node: ts.Node): number => (rank.get(node.getSourceFile()) ?? rank.size) * 2 ** 32 + node.pos;
  // The TypeORM the project builds with: versions name and link some things differently.
  const imported = sourceFiles.some((sf) => sf.statements.some((st) => tsc.isImportDeclaration(st) && tsc.isStringLiteral(st.moduleSpecifier) && /^@n8n\/typeorm(\/|$)/.test(st.moduleSpecifier.text)));
  const rules = options.typeorm ?? typeOrmRulesAt(files.length ? path.dirname(files[0]) : process.cwd(), imported ? '@n8n/typeorm' : 'typeorm');
  return buildSchema(classes, { driver: typeOrmDriver(dialect), naming: namingStrategy(options.namingStrategy, 'namingStrategy', rules), ev, registered, rules });
}
