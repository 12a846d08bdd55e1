/**
 * Compiling a project's TypeScript files the way its own build would, for the child process:
 * CommonJS with legacy decorators and decorator metadata, under the options of the nearest
 * tsconfig.json. Each tsconfig gets one program over the project's own files (never its
 * packages), so `design:type` is what tsc says — an imported enum is Number or String, not the
 * Object a file-by-file transpiler would write — and `paths`/`baseUrl` aliases resolve as tsc
 * resolves them.
 */
import path from 'node:path';
import type { ts } from 'ts-morph';
import { tsc } from '../typescript/compiler-api.js';
import { strictByDefault } from '../typescript/typeorm-version.js';
import { standardLibrary, withStandardLibrary } from './standard-library.js';

/** A file TypeScript compiles: .ts, .tsx, .mts, .cts, never a declaration file. */
export const isTypeScript = (file: string): boolean => /\.(c|m)?tsx?$/.test(file) && !/\.d\.(c|m)?ts$/.test(file);

interface ProjectConfig {
  /** tsconfig.json, or undefined for files no tsconfig covers. */
  file?: string;
  options: ts.CompilerOptions;
  /** Module resolution: tsconfig's paths and baseUrl, extensionless and `.js` imports of .ts files. */
  resolution: ts.CompilerOptions;
  roots: Set<string>;
  program?: ts.Program;
  host?: ts.CompilerHost;
}

const ESM_MODULES = new Set([tsc.ModuleKind.ES2015, tsc.ModuleKind.ES2020, tsc.ModuleKind.ES2022, tsc.ModuleKind.ESNext, tsc.ModuleKind.Node16, tsc.ModuleKind.NodeNext, tsc.ModuleKind.Preserve]);

/** The project's options, changed only where emitting CommonJS for Node here and now needs it. */
function emitOptions(project: ts.CompilerOptions, dir: string): ts.CompilerOptions {
  const options: ts.CompilerOptions = {
    ...project,
    // The compiler here may be newer than the project's, whose default may differ (TypeScript 6
    // checks strictly unless told not to); design:type must be what the project's build writes.
    strict: project.strict ?? strictByDefault(dir),
    module: tsc.ModuleKind.CommonJS,
    moduleResolution: tsc.ModuleResolutionKind.Node10,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    // An ES-module project's default imports of CommonJS packages mean module.exports.
    esModuleInterop: project.esModuleInterop ?? (project.module !== undefined && ESM_MODULES.has(project.module)),
    // The standard library's declarations, as the project's build has them: a type built on one
    // (`Record<…>`, `Partial<…>`) is then known for the type it is, and metadata says Object where
    // the project's build does, not a reference to a value that is not there. The project's
    // packages' types stay out: the globals they declare are looked up at run time.
    noLib: false,
    // Without a `lib` of the project's, the language's alone: the DOM's declarations are long to
    // read and say nothing of an entity.
    lib: project.lib ?? ['lib.esnext.d.ts'],
    types: [],
    noEmit: false,
    noEmitOnError: false,
    emitDeclarationOnly: false,
    declaration: false,
    declarationMap: false,
    // Stack traces of the project's errors point at its TypeScript lines.
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    composite: false,
    incremental: false,
    verbatimModuleSyntax: false,
  };
  for (const key of ['outDir', 'outFile', 'out', 'rootDir', 'tsBuildInfoFile', 'allowImportingTsExtensions', 'rewriteRelativeImportExtensions', 'paths', 'baseUrl', 'plugins'] as const) {
    delete options[key];
  }
  return options;
}

/** `import.meta` in a file compiled to CommonJS: its url, dirname and filename from the module's own. */
/** Decorator metadata of a type TypeScript could not see: `… === "function" ? _a : Object)`. */
const UNSEEN_TYPE = /\) === "function" \? (_[a-z]\w*) : Object\)/g;
const DESIGN_TYPE = '__migrator_designType';

/**
 * The design type TypeScript writes for an enum, from its object at run time, as one line of
 * JavaScript: Number for a numeric enum (whose object maps names to numbers and each number back
 * to its name), String for a string one; Object for anything else.
 */
const ENUM_DESIGN_TYPE =
  '(v) => { if (v === null || typeof v !== "object") return Object; const e = Object.entries(v); ' +
  'const n = e.filter(([, x]) => typeof x === "number"), s = e.filter(([, x]) => typeof x === "string"); ' +
  'if (e.length === 0 || n.length + s.length !== e.length) return Object; if (n.length === 0) return String; ' +
  'return s.every(([k, x]) => v[x] === Number(k)) ? Number : Object; }';

/** The module's own file and folder, as `import.meta` gives them: the CommonJS wrapper's, kept under names of their own. */
const MODULE_FILE = '__migrator_filename';
const MODULE_DIR = '__migrator_dirname';

/**
 * A compiled module as CommonJS runs it: `import.meta` reads the wrapper's file and folder under
 * names of their own; an ES module that declares its own `__filename` or `__dirname` (as
 * `const __dirname = path.dirname(fileURLToPath(import.meta.url))` does), which a CommonJS
 * module cannot at its top level, has its body in a block, where the declarations are its own.
 */
export function asCommonJsModule(code: string): string {
  // Nothing moves a line: the inline source map still points errors at the TypeScript lines.
  const strict = /^"use strict";/.exec(code)?.[0] ?? '';
  let body = code.slice(strict.length);
  let names = `const ${MODULE_FILE} = __filename, ${MODULE_DIR} = __dirname;`;
  // A property typed with what a package exports, which the compile here does not read: TypeScript
  // writes the value if it is a function (a class), else Object. An enum the package exports is an
  // object: its values say what the project's build, which reads the package, writes.
  if (UNSEEN_TYPE.test(body)) {
    body = body.replace(UNSEEN_TYPE, (_, v: string) => `) === "function" ? ${v} : ${DESIGN_TYPE}(${v}))`);
    names += `const ${DESIGN_TYPE} = ${ENUM_DESIGN_TYPE};`;
  }
  const ownNames = /^(?:const|let|var|function\*?|class|async function)\s+(?:\{[^}]*\b__(?:file|dir)name\b|__(?:file|dir)name\b)/m.test(body);
  if (!ownNames) return `${strict}${names}${body}`;
  const map = body.lastIndexOf('\n//# sourceMappingURL=');
  const end = map < 0 ? body.length : map;
  return `${strict}${names}{${body.slice(0, end)}\n}${body.slice(end)}`;
}

function importMetaToCommonJs(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  const f = context.factory;
  const url = (): ts.Expression =>
    f.createPropertyAccessExpression(
      f.createCallExpression(f.createPropertyAccessExpression(f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral('node:url')]), 'pathToFileURL'), undefined, [f.createIdentifier(MODULE_FILE)]),
      'href',
    );
  const visit = (node: ts.Node): ts.Node => {
    if (tsc.isPropertyAccessExpression(node) && tsc.isMetaProperty(node.expression) && node.expression.keywordToken === tsc.SyntaxKind.ImportKeyword) {
      switch (node.name.text) {
        case 'url':
          return url();
        case 'dirname':
          return f.createIdentifier(MODULE_DIR);
        case 'filename':
          return f.createIdentifier(MODULE_FILE);
      }
    }
    if (tsc.isMetaProperty(node) && node.keywordToken === tsc.SyntaxKind.ImportKeyword) {
      return f.createObjectLiteralExpression([
        f.createPropertyAssignment('url', url()),
        f.createPropertyAssignment('dirname', f.createIdentifier(MODULE_DIR)),
        f.createPropertyAssignment('filename', f.createIdentifier(MODULE_FILE)),
      ]);
    }
    return tsc.visitEachChild(node, visit, context);
  };
  return (sf) => tsc.visitNode(sf, visit) as ts.SourceFile;
}

/** A compile error: file:line:column and TypeScript's message. */
function diagnosticText(d: ts.Diagnostic): string {
  const message = tsc.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${d.file.fileName}:${line + 1}:${character + 1}: ${message}`;
}

export class ProjectCompiler {
  private readonly configs = new Map<string, ProjectConfig>();
  private readonly configOfDir = new Map<string, ProjectConfig>();

  /** The project a file belongs to: its nearest tsconfig.json. */
  private configFor(file: string): ProjectConfig {
    const dir = path.dirname(file);
    const known = this.configOfDir.get(dir);
    if (known) return known;
    const configFile = tsc.findConfigFile(dir, tsc.sys.fileExists);
    const key = configFile ?? '';
    let config = this.configs.get(key);
    if (!config) {
      config = this.readConfig(configFile);
      this.configs.set(key, config);
    }
    this.configOfDir.set(dir, config);
    return config;
  }

  private readConfig(file: string | undefined): ProjectConfig {
    if (!file) {
      const options: ts.CompilerOptions = { target: tsc.ScriptTarget.ES2022, esModuleInterop: true };
      return { options: emitOptions(options, process.cwd()), resolution: { ...options, module: tsc.ModuleKind.ESNext, moduleResolution: tsc.ModuleResolutionKind.Bundler }, roots: new Set() };
    }
    const problems: string[] = [];
    const parsed = tsc.getParsedCommandLineOfConfigFile(file, {}, { ...tsc.sys, onUnRecoverableConfigFileDiagnostic: (d) => problems.push(diagnosticText(d)) });
    if (!parsed) throw new Error(`cannot read ${file}: ${problems[0] ?? 'unknown error'}`);
    const project = parsed.options;
    return {
      file,
      options: emitOptions(project, path.dirname(file)),
      // Bundler resolution takes paths, baseUrl, extensionless and `.js`-for-`.ts` imports alike.
      resolution: { ...project, module: tsc.ModuleKind.ESNext, moduleResolution: tsc.ModuleResolutionKind.Bundler, allowJs: false },
      roots: new Set(parsed.fileNames.filter(isTypeScript).map((f) => path.resolve(f))),
    };
  }

  /** The project file `request` names from `from`, as TypeScript resolves it; undefined for packages. */
  resolve(request: string, from: string): string | undefined {
    const r = this.resolveModule(request, from);
    return r && path.resolve(r.resolvedFileName);
  }

  private resolveModule(request: string, from: string): ts.ResolvedModuleFull | undefined {
    const r = tsc.resolveModuleName(request, from, this.configFor(from).resolution, tsc.sys).resolvedModule;
    return r && !r.isExternalLibraryImport && isTypeScript(r.resolvedFileName) ? r : undefined;
  }

  private programFor(file: string): { program: ts.Program; config: ProjectConfig } {
    const config = this.configFor(file);
    // A file the program already holds (imported by another) needs no new program.
    if (!config.program?.getSourceFile(file)) {
      config.roots.add(file);
      if (!config.host) {
        const host = withStandardLibrary(tsc.createCompilerHost(config.options), standardLibrary(path.dirname(file)));
        // The program holds the project's own files: imports of packages stay unresolved.
        host.resolveModuleNameLiterals = (literals, containing) =>
          literals.map((literal) => ({ resolvedModule: this.resolveModule(literal.text, containing) }));
        config.host = host;
      }
      config.program = tsc.createProgram([...config.roots], config.options, config.host, config.program);
    }
    return { program: config.program, config };
  }

  /** The CommonJS code of a TypeScript file. A syntax error throws, naming file:line:column. */
  compile(file: string): string {
    const { program } = this.programFor(file);
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`TypeScript cannot read ${file}`);
    const syntax = program.getSyntacticDiagnostics(sf);
    if (syntax.length) throw new SyntaxError(diagnosticText(syntax[0]));
    let code: string | undefined;
    program.emit(sf, (name, text) => {
      if (/\.(c|m)?jsx?$/.test(name)) code = text;
    }, undefined, false, { before: [importMetaToCommonJs] });
    if (code === undefined) throw new Error(`TypeScript emitted nothing for ${file}`);
    return asCommonJsModule(code);
  }
}
