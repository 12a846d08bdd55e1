/** Reading TypeScript entity files with ts-morph: syntax only, no type checking, nothing run. */
import { Node, Project, ts, type SourceFile } from 'ts-morph';
import type { Schema } from '../../schema/schema.js';
import { MigratorError } from '../../errors.js';
import { buildSchema } from './build.js';
import { readClass, type EntityMeta, type EnumLookup } from './entities.js';
import { typeOrmDriver } from './typeorm-types.js';

function enumMembers(sourceFiles: SourceFile[]): Map<string, Map<string, string | number>> {
  const out = new Map<string, Map<string, string | number>>();
  for (const sf of sourceFiles) {
    for (const e of sf.getEnums()) {
      const members = new Map<string, string | number>();
      let next = 0;
      for (const m of e.getMembers()) {
        const init = m.getInitializer();
        let value: string | number;
        if (!init) value = next;
        else if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) value = init.getLiteralValue();
        else if (Node.isNumericLiteral(init)) value = init.getLiteralValue();
        else if (Node.isPrefixUnaryExpression(init) && Node.isNumericLiteral(init.getOperand())) value = -Number(init.getOperand().getText());
        else throw new MigratorError(`${sf.getFilePath()}:${m.getStartLineNumber()}: enum member ${e.getName()}.${m.getName()} must have a literal value`);
        if (typeof value === 'number') next = value + 1;
        members.set(m.getName(), value);
      }
      out.set(e.getName(), members);
    }
  }
  return out;
}

/** Parses the files, failing with file:line on the first syntax error. */
export function loadSourceFiles(files: readonly string[]): SourceFile[] {
  const project = new Project({
    useInMemoryFileSystem: false,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, experimentalDecorators: true, noLib: true, allowJs: false },
  });
  const sourceFiles = files.map((f) => project.addSourceFileAtPath(f));
  for (const sf of sourceFiles) {
    // The parser's own diagnostics: syntax errors, found without building a Program.
    const diag = (sf.compilerNode as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
    if (diag) {
      const { line } = sf.compilerNode.getLineAndCharacterOfPosition(diag.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diag.messageText, ' ').replace(/\.$/, '');
      throw new MigratorError(`${sf.getFilePath()}:${line + 1}: syntax error: ${text}; fix the model file and run again`);
    }
  }
  return sourceFiles;
}

/** The schema TypeORM would build from the entity classes in `files`, on `dialect`. */
export function readEntityFiles(files: readonly string[], dialect: string): Schema {
  const sourceFiles = loadSourceFiles(files);
  const enums = enumMembers(sourceFiles);
  const lookup: EnumLookup = (name) => enums.get(name);
  const classes: EntityMeta[] = [];
  for (const sf of sourceFiles) {
    for (const cls of sf.getClasses()) {
      if (cls.getDecorators().length === 0 && !cls.getProperties().some((p) => p.getDecorators().length > 0)) continue;
      classes.push(readClass(cls, lookup));
    }
  }
  return buildSchema(classes, typeOrmDriver(dialect), lookup);
}
