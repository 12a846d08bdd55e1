/**
 * The TypeScript files a model reader may follow: the model files themselves, and whatever they
 * import — base classes, enums, constants, decorator helpers — resolved the way the TypeScript
 * compiler resolves them (the nearest tsconfig.json: `paths`, `baseUrl`, `.js` → `.ts`, package
 * `types`). Files are parsed on first use, syntax only; nothing is type-checked or run.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from './compiler-api.js';
import { MigratorError } from '../../errors.js';
import { strictByDefault } from './typeorm-version.js';

/** What a name in a file stands for. */
export type Binding =
  /** A declaration in a file we read: class, enum, function, variable, type alias, interface. */
  | { kind: 'declaration'; node: Declaration }
  /** `name` exported by a module we do not read (a package, `typeorm`), or `*` for the namespace. */
  | { kind: 'external'; module: string; name: string }
  /** A module we read, as a namespace (`import * as constants from './constants'`). */
  | { kind: 'namespace'; file: ts.SourceFile }
  /** `export default <expression>`. */
  | { kind: 'expression'; node: ts.Expression };

export type Declaration =
  | ts.ClassDeclaration
  | ts.EnumDeclaration
  | ts.FunctionDeclaration
  | ts.VariableDeclaration
  /** A name a `const { a: b } = …` or `const [a] = …` declares. */
  | ts.BindingElement
  | ts.TypeAliasDeclaration
  | ts.InterfaceDeclaration;

interface Imported {
  module: string;
  /** The exported name, `default`, or `*`. */
  name: string;
}

interface FileSymbols {
  locals: Map<string, Declaration>;
  imports: Map<string, Imported>;
  /** Exported name → a local name, or a re-export from another module. */
  exports: Map<string, { local: string } | { from: Imported } | { expression: ts.Expression }>;
  /** `export * from '…'` specifiers, in order. */
  star: string[];
}

/**
 * TypeORM (and forks that keep its API, such as n8n's) and migrator's own decorators (`ts-migrator`,
 * or `migrator` as projects wrote before): their exports are known by name and never followed into.
 */
export const SCHEMA_MODULE = /^(typeorm|@n8n\/typeorm|ts-migrator|migrator)(\/|$)/;

/** `file:line` of a node. */
export function where(node: ts.Node): string {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${sf.fileName}:${line + 1}`;
}

/** The package a bare module specifier names: `@nestjs/swagger/dist/x` → `@nestjs/swagger`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export class SourceProject {
  /** `opaque(package)`: whether a package is known by name and never read (decorator libraries). */
  constructor(private readonly opaque: (pkg: string) => boolean = () => false) {}

  private readonly files = new Map<string, ts.SourceFile>();
  private readonly symbols = new WeakMap<ts.SourceFile, FileSymbols>();
  private readonly lookups = new WeakMap<ts.SourceFile, Map<string, Binding | undefined>>();
  private readonly configs = new Map<string, ts.CompilerOptions>();
  private readonly resolutions = new Map<string, string | null>();
  private readonly host: ts.ModuleResolutionHost = {
    fileExists: (f) => tsc.sys.fileExists(f),
    readFile: (f) => tsc.sys.readFile(f),
    directoryExists: (d) => tsc.sys.directoryExists?.(d) ?? existsSync(d),
    realpath: tsc.sys.realpath,
    getCurrentDirectory: () => process.cwd(),
  };

  /** Parses a file (once), failing with file:line on its first syntax error. */
  file(fileName: string): ts.SourceFile {
    const absolute = path.resolve(fileName);
    let sf = this.files.get(absolute);
    if (sf) return sf;
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new MigratorError(`cannot read ${absolute}: ${(error as Error).message}`);
    }
    const kind = absolute.endsWith('.tsx') ? tsc.ScriptKind.TSX : tsc.ScriptKind.TS;
    sf = tsc.createSourceFile(absolute, text, tsc.ScriptTarget.ES2022, true, kind);
    // The parser's own diagnostics: syntax errors, found without building a program.
    const diag = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
    if (diag) {
      const { line } = sf.getLineAndCharacterOfPosition(diag.start ?? 0);
      const message = tsc.flattenDiagnosticMessageText(diag.messageText, ' ').replace(/\.$/, '');
      throw new MigratorError(`${absolute}:${line + 1}: syntax error: ${message}; fix the file and run again`);
    }
    this.files.set(absolute, sf);
    return sf;
  }

  /** The compiler options of the tsconfig.json nearest to `dir` (module resolution only). */
  private optionsFor(dir: string): ts.CompilerOptions {
    const cached = this.configs.get(dir);
    if (cached) return cached;
    let options: ts.CompilerOptions;
    const configFile = tsc.findConfigFile(dir, tsc.sys.fileExists, 'tsconfig.json');
    const configDir = configFile ? path.dirname(configFile) : undefined;
    if (configFile && configDir !== dir && this.configs.has(configDir!)) {
      options = this.configs.get(configDir!)!;
    } else if (configFile) {
      const read = tsc.readConfigFile(configFile, tsc.sys.readFile);
      if (read.error) {
        throw new MigratorError(`${configFile}: ${tsc.flattenDiagnosticMessageText(read.error.messageText, ' ')}; fix it so that imports of the models can be followed`);
      }
      const parsed = tsc.parseJsonConfigFileContent(read.config, tsc.sys, configDir!, undefined, configFile);
      options = { ...parsed.options };
      this.configs.set(configDir!, options);
    } else {
      options = {};
    }
    if (options.moduleResolution === undefined || options.moduleResolution === tsc.ModuleResolutionKind.Classic) {
      options = { ...options, moduleResolution: tsc.ModuleResolutionKind.Bundler, module: tsc.ModuleKind.ESNext };
    }
    this.configs.set(dir, options);
    return options;
  }

  /** Whether `null` and `undefined` are types of their own in `sf` (strictNullChecks, or strict). */
  strictNullChecks(sf: ts.SourceFile): boolean {
    const o = this.optionsFor(path.dirname(sf.fileName));
    return o.strictNullChecks ?? o.strict ?? strictByDefault(path.dirname(sf.fileName));
  }

  /**
   * The file a module specifier names, seen from `from`; undefined for a module that is not read
   * (typeorm, migrator) or a package whose declarations cannot be found.
   */
  /**
   * The order Node runs `files` in when they are loaded one after another: each after the files
   * it imports at run time (not `import type`), each once — the order TypeORM's decorators register
   * their classes in. Files of packages, and declaration files, are not followed.
   */
  evaluationOrder(files: readonly ts.SourceFile[]): ts.SourceFile[] {
    const order: ts.SourceFile[] = [];
    const seen = new Set<ts.SourceFile>();
    const visit = (sf: ts.SourceFile): void => {
      if (seen.has(sf)) return;
      seen.add(sf);
      for (const st of sf.statements) {
        const runtime =
          (tsc.isImportDeclaration(st) && !st.importClause?.isTypeOnly) || (tsc.isExportDeclaration(st) && !st.isTypeOnly && st.moduleSpecifier !== undefined);
        const specifier = runtime ? (st as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier : undefined;
        if (!specifier || !tsc.isStringLiteral(specifier)) continue;
        const file = this.resolve(specifier.text, sf);
        if (file && !/\.d\.[cm]?ts$/.test(file) && !file.includes(`${path.sep}node_modules${path.sep}`)) visit(this.file(file));
      }
      order.push(sf);
    };
    for (const sf of files) visit(sf);
    return order;
  }

  resolve(specifier: string, from: ts.SourceFile): string | undefined {
    if (SCHEMA_MODULE.test(specifier)) return undefined;
    const dir = path.dirname(from.fileName);
    const key = `${dir}\u0000${specifier}`;
    const cached = this.resolutions.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const options = this.optionsFor(dir);
    let resolved = tsc.resolveModuleName(specifier, from.fileName, options, this.host).resolvedModule?.resolvedFileName;
    if (resolved && !/\.(d\.)?[cm]?tsx?$/.test(resolved)) resolved = undefined; // a .js file: nothing to read
    this.resolutions.set(key, resolved ?? null);
    return resolved;
  }

  private symbolsOf(sf: ts.SourceFile): FileSymbols {
    let s = this.symbols.get(sf);
    if (s) return s;
    s = { locals: new Map(), imports: new Map(), exports: new Map(), star: [] };
    const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean => {
      const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
      if (!modifiers) return false;
      for (const m of modifiers) if (m.kind === kind) return true;
      return false;
    };
    const exported = (node: ts.Node): boolean => hasModifier(node, tsc.SyntaxKind.ExportKeyword);
    const isDefault = (node: ts.Node): boolean => hasModifier(node, tsc.SyntaxKind.DefaultKeyword);
    for (const st of sf.statements) {
      if (tsc.isImportDeclaration(st) && tsc.isStringLiteral(st.moduleSpecifier)) {
        const module = st.moduleSpecifier.text;
        const clause = st.importClause;
        if (!clause) continue;
        if (clause.name) s.imports.set(clause.name.text, { module, name: 'default' });
        const b = clause.namedBindings;
        if (b && tsc.isNamespaceImport(b)) s.imports.set(b.name.text, { module, name: '*' });
        if (b && tsc.isNamedImports(b)) for (const el of b.elements) s.imports.set(el.name.text, { module, name: (el.propertyName ?? el.name).text });
      } else if (tsc.isClassDeclaration(st) || tsc.isEnumDeclaration(st) || tsc.isFunctionDeclaration(st) || tsc.isTypeAliasDeclaration(st) || tsc.isInterfaceDeclaration(st)) {
        if (!st.name) {
          if (isDefault(st) && (tsc.isClassDeclaration(st) || tsc.isFunctionDeclaration(st))) {
            s.locals.set('default', st);
            s.exports.set('default', { local: 'default' });
          }
          continue;
        }
        // Overloads and declaration merging: the first declaration with a body or members wins.
        if (!s.locals.has(st.name.text) || (tsc.isFunctionDeclaration(st) && st.body)) s.locals.set(st.name.text, st);
        if (exported(st)) s.exports.set(isDefault(st) ? 'default' : st.name.text, { local: st.name.text });
      } else if (tsc.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          for (const [name, node] of declaredNames(d.name, d)) {
            s.locals.set(name, node);
            if (exported(st)) s.exports.set(name, { local: name });
          }
        }
      } else if (tsc.isExportDeclaration(st)) {
        const module = st.moduleSpecifier && tsc.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        const clause = st.exportClause;
        if (!clause) {
          if (module) s.star.push(module);
        } else if (tsc.isNamespaceExport(clause)) {
          if (module) s.exports.set(clause.name.text, { from: { module, name: '*' } });
        } else {
          for (const el of clause.elements) {
            const name = (el.propertyName ?? el.name).text;
            s.exports.set(el.name.text, module ? { from: { module, name } } : { local: name });
          }
        }
      } else if (tsc.isExportAssignment(st) && !st.isExportEquals) {
        if (tsc.isIdentifier(st.expression)) s.exports.set('default', { local: st.expression.text });
        else s.exports.set('default', { expression: st.expression });
      }
    }
    this.symbols.set(sf, s);
    return s;
  }

  /** What `name` stands for at the top level of `sf`; undefined when it is not declared there. */
  lookup(sf: ts.SourceFile, name: string): Binding | undefined {
    let cache = this.lookups.get(sf);
    if (!cache) this.lookups.set(sf, (cache = new Map()));
    if (cache.has(name)) return cache.get(name);
    const s = this.symbolsOf(sf);
    const local = s.locals.get(name);
    const imported = local ? undefined : s.imports.get(name);
    const found: Binding | undefined = local ? { kind: 'declaration', node: local } : imported ? this.importBinding(imported, sf, new Set()) : undefined;
    cache.set(name, found);
    return found;
  }

  private importBinding(imported: Imported, from: ts.SourceFile, seen: Set<string>): Binding | undefined {
    const external: Binding = { kind: 'external', module: imported.module, name: imported.name };
    if (this.opaque(packageName(imported.module))) return external;
    const file = this.resolve(imported.module, from);
    if (!file) return external;
    const target = this.file(file);
    if (imported.name === '*') return { kind: 'namespace', file: target };
    const found = this.exportOf(target, imported.name, seen);
    // A function a package only declares (a compiled library's decorator): known by its module.
    if (found?.kind === 'declaration' && tsc.isFunctionDeclaration(found.node) && !found.node.body && found.node.getSourceFile().isDeclarationFile) return external;
    return found;
  }

  /** What module `sf` exports as `name` (following re-exports); undefined when it does not. */
  exportOf(sf: ts.SourceFile, name: string, seen = new Set<string>()): Binding | undefined {
    const key = `${sf.fileName}\u0000${name}`;
    if (seen.has(key)) return undefined; // an export cycle
    seen.add(key);
    const s = this.symbolsOf(sf);
    const e = s.exports.get(name);
    if (e) {
      if ('expression' in e) return { kind: 'expression', node: e.expression };
      if ('from' in e) return this.importBinding(e.from, sf, seen);
      const local = s.locals.get(e.local);
      if (local) return { kind: 'declaration', node: local };
      const imported = s.imports.get(e.local);
      if (imported) return this.importBinding(imported, sf, seen);
      return undefined;
    }
    for (const module of s.star) {
      const file = this.resolve(module, sf);
      if (!file) {
        if (SCHEMA_MODULE.test(module)) continue;
        continue;
      }
      const found = this.exportOf(this.file(file), name, seen);
      if (found) return found;
    }
    // `export * from 'typeorm'` in a barrel: the name may come from there.
    const opaque = s.star.find((m) => SCHEMA_MODULE.test(m));
    if (opaque) return { kind: 'external', module: opaque, name };
    return undefined;
  }
}

/** The names a variable declaration declares, destructured ones included, each with its node. */
function declaredNames(name: ts.BindingName, node: ts.VariableDeclaration | ts.BindingElement): [string, Declaration][] {
  if (tsc.isIdentifier(name)) return [[name.text, node]];
  const out: [string, Declaration][] = [];
  for (const el of name.elements) if (tsc.isBindingElement(el)) out.push(...declaredNames(el.name, el));
  return out;
}
