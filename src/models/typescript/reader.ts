/**
 * Reading TypeScript entity files: parsed with the TypeScript compiler that ts-morph ships,
 * syntax only — no type checking, no program, nothing run.
 */
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { MigratorError } from '../../errors.js';
import type { Schema } from '../../schema/schema.js';
import { buildSchema } from './build.js';
import { decoratorsOf, readClass, type EntityMeta, type EnumLookup } from './entities.js';
import { typeOrmDriver } from './typeorm-types.js';
import { where } from './values.js';

function enumMembers(sourceFiles: ts.SourceFile[]): Map<string, Map<string, string | number>> {
  const out = new Map<string, Map<string, string | number>>();
  for (const sf of sourceFiles) {
    for (const e of sf.statements) {
      if (!ts.isEnumDeclaration(e)) continue;
      const members = new Map<string, string | number>();
      let next = 0;
      for (const m of e.members) {
        const name = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(sf);
        const init = m.initializer;
        let value: string | number;
        if (!init) value = next;
        else if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) value = init.text;
        else if (ts.isNumericLiteral(init)) value = Number(init.text);
        else if (ts.isPrefixUnaryExpression(init) && init.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(init.operand)) value = -Number(init.operand.text);
        else throw new MigratorError(`${where(m)}: enum member ${e.name.text}.${name} must have a literal value`);
        if (typeof value === 'number') next = value + 1;
        members.set(name, value);
      }
      out.set(e.name.text, members);
    }
  }
  return out;
}

/** Parses the files, failing with file:line on the first syntax error. */
export function loadSourceFiles(files: readonly string[]): ts.SourceFile[] {
  return files.map((file) => {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    // The parser's own diagnostics: syntax errors, found without building a program.
    const diag = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
    if (diag) {
      const { line } = sf.getLineAndCharacterOfPosition(diag.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diag.messageText, ' ').replace(/\.$/, '');
      throw new MigratorError(`${file}:${line + 1}: syntax error: ${message}; fix the model file and run again`);
    }
    return sf;
  });
}

/** The schema TypeORM would build from the entity classes in `files`, on `dialect`. */
export function readEntityFiles(files: readonly string[], dialect: string): Schema {
  const sourceFiles = loadSourceFiles(files);
  const enums = enumMembers(sourceFiles);
  const lookup: EnumLookup = (name) => enums.get(name);
  const classes: EntityMeta[] = [];
  for (const sf of sourceFiles) {
    for (const cls of sf.statements) {
      if (!ts.isClassDeclaration(cls)) continue;
      const decorated = decoratorsOf(cls).length > 0 || cls.members.some((m) => ts.isPropertyDeclaration(m) && decoratorsOf(m).length > 0);
      if (decorated) classes.push(readClass(cls, lookup));
    }
  }
  return buildSchema(classes, typeOrmDriver(dialect), lookup);
}
