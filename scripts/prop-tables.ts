// Generates lib/core/prop-names.generated.ts from the TypeScript Props/Options interfaces of lib/: the prop
// names each construct and factory accepts, so that the run-time check (lib/core/props.ts) rejects a misspelled
// prop in plain JavaScript as the compiler does in TypeScript. `npx tsx scripts/prop-tables.ts` rewrites the
// file; `--check` exits 1 when it is stale (test/core/props.test.ts runs the same comparison).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
export const OUTPUT = path.join(ROOT, 'lib', 'core', 'prop-names.generated.ts');

/** Input shapes are the interfaces named like props by the house rules. */
const SHAPE_NAME = /(Props|Options)$/;

interface Shape {
  /** prop name -> the shape of its value, when that value is itself an input shape (also inside arrays) */
  readonly props: Record<string, string | null>;
}

export function generate(): string {
  // lib/ alone is a fraction of the whole program (imports/ and node_modules are nine tenths of it): use it when
  // nothing the tables read comes from outside lib/, else the whole program (the same tables, only slower)
  const fast = tablesOf(program(true));
  return fast.outside.length === 0 ? fast.text : tablesOf(program(false)).text;
}

/** The program of lib/index.ts; `libOnly`: files outside lib/ (but TypeScript's own lib files) do not exist. */
function program(libOnly: boolean): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, noEmit: true, types: libOnly ? [] : ['node'],
  };
  const host = ts.createCompilerHost(options);
  if (libOnly) {
    const dirs = [path.join(ROOT, 'lib') + path.sep, path.dirname(host.getDefaultLibFileName(options)) + path.sep];
    const inside = (f: string) => dirs.some((d) => path.resolve(f).startsWith(d));
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.fileExists = (f) => inside(f) && fileExists(f);
    host.getSourceFile = (f, ...rest) => (inside(f) ? getSourceFile(f, ...rest) : undefined);
  }
  return ts.createProgram([path.join(ROOT, 'lib', 'index.ts')], options, host);
}

/**
 * The generated file's text, and where the tables read a type that did not resolve (`outside`: only in a lib/-only
 * program, where types from elsewhere are errors; non-empty means the text may differ from the whole program's).
 */
function tablesOf(program: ts.Program): { text: string; outside: string[] } {
  const checker = program.getTypeChecker();
  const libDir = path.join(ROOT, 'lib') + path.sep;
  const files = program.getSourceFiles().filter((f) => path.resolve(f.fileName).startsWith(libDir) && !f.fileName.endsWith('.generated.ts'));
  const outside: string[] = [];
  const unresolved = (t: ts.Type) => (t as { intrinsicName?: string }).intrinsicName === 'error';

  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const f of files) {
    for (const s of f.statements) {
      if (ts.isInterfaceDeclaration(s) && SHAPE_NAME.test(s.name.text) && isExported(s)) {
        if (interfaces.has(s.name.text)) throw new Error(`two input interfaces named ${s.name.text}`);
        interfaces.set(s.name.text, s);
      }
    }
  }

  // an unresolved type can only matter when the whole program could find an input shape there: anything but a
  // plain reference (or array of them) to a type not named like one (`scope: Construct`, `tolerations?: k8s.Toleration[]`)
  const mayBeShape = (node: ts.TypeNode | undefined): boolean => {
    if (node && ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return mayBeShape(node.type);
    if (node && ts.isArrayTypeNode(node)) return mayBeShape(node.elementType);
    return !node || !ts.isTypeReferenceNode(node) || !!node.typeArguments?.length
      || interfaces.has(ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text);
  };
  /** The input shape a value of type `t` is (directly, in a union with undefined/false, or as array elements). */
  const shapeOf = (t: ts.Type, where: string, node: ts.TypeNode | undefined): string | null => {
    const parts = t.isUnion() ? t.types : [t];
    const elementOf = (p: ts.Type) => (checker.isArrayType(p) || checker.isTupleType(p) ? checker.getTypeArguments(p as ts.TypeReference)[0] ?? p : p);
    if (parts.some((p) => unresolved(p) || unresolved(elementOf(p))) && mayBeShape(node)) outside.push(where);
    for (const p of parts) {
      const e = elementOf(p);
      const name = e.aliasSymbol?.name ?? e.getSymbol()?.name;
      if (name && interfaces.has(name)) return name;
    }
    return null;
  };

  const shapes = new Map<string, Shape>();
  for (const [name, decl] of [...interfaces].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(decl.name)!);
    for (const h of decl.heritageClauses?.flatMap((c) => c.types) ?? []) if (unresolved(checker.getTypeAtLocation(h))) outside.push(`${name} extends`);
    const props: Record<string, string | null> = {};
    for (const p of checker.getPropertiesOfType(type).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const pt = checker.getTypeOfSymbolAtLocation(p, decl);
      // a prop typed as a function or with methods is not a name a user misspells into silence: still listed
      props[p.name] = shapeOf(pt, `${name}.${p.name}`, p.valueDeclaration && ts.isPropertySignature(p.valueDeclaration) ? p.valueDeclaration.type : undefined);
    }
    shapes.set(name, { props });
  }

  // who checks which shape: classes whose constructor takes a parameter of an input shape
  const users: { cls: string; module: string; shape: string; param: number }[] = [];
  for (const f of files) {
    for (const s of f.statements) {
      if (!ts.isClassDeclaration(s) || !s.name || !isExported(s)) continue;
      const ctor = s.members.find(ts.isConstructorDeclaration);
      if (!ctor || ctor.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
      ctor.parameters.forEach((param, i) => {
        const shape = param.type ? shapeOf(checker.getTypeFromTypeNode(param.type), `${s.name!.text} constructor`, param.type) : null;
        if (shape) users.push({ cls: s.name!.text, module: path.relative(ROOT, f.fileName).replace(/\\/g, '/').replace(/\.ts$/, ''), shape, param: i });
      });
    }
  }
  users.sort((a, b) => (a.cls < b.cls ? -1 : a.cls > b.cls ? 1 : a.param - b.param));

  // and the static factories taking an input shape (`Probe.http(path, options)`, `Scaling.hpa(options)`)
  const factories: { cls: string; method: string; module: string; shape: string; param: number }[] = [];
  for (const f of files) {
    for (const s of f.statements) {
      if (!ts.isClassDeclaration(s) || !s.name || !isExported(s)) continue;
      for (const m of s.members) {
        if (!ts.isMethodDeclaration(m) || !ts.isIdentifier(m.name) || !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
        if (m.modifiers.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        m.parameters.forEach((param, i) => {
          const shape = param.type ? shapeOf(checker.getTypeFromTypeNode(param.type), `${s.name!.text}.${(m.name as ts.Identifier).text}`, param.type) : null;
          if (shape) factories.push({ cls: s.name!.text, method: (m.name as ts.Identifier).text, module: path.relative(ROOT, f.fileName).replace(/\\/g, '/').replace(/\.ts$/, ''), shape, param: i });
        });
      }
    }
  }
  factories.sort((a, b) => (`${a.cls}.${a.method}` < `${b.cls}.${b.method}` ? -1 : `${a.cls}.${a.method}` > `${b.cls}.${b.method}` ? 1 : a.param - b.param));

  const lines = [
    '// Generated by scripts/prop-tables.ts from the Props/Options interfaces of lib/: do not edit.',
    '// Regenerate with `npx tsx scripts/prop-tables.ts` (a test fails while this file is stale).',
    '',
    '/** Every input shape: prop name -> the input shape of its value (also of array elements), or null. */',
    'export const PROP_SHAPES = {',
  ];
  for (const [name, shape] of shapes) {
    const entries = Object.entries(shape.props).map(([k, v]) => `${JSON.stringify(k)}: ${v === null ? 'null' : JSON.stringify(v)}`);
    lines.push(`  ${name}: { ${entries.join(', ')} },`);
  }
  lines.push('} as const;', '');
  lines.push('/** The name of an input shape. */', 'export type PropShapeName = keyof typeof PROP_SHAPES;', '');
  lines.push('/** The exported classes whose constructor takes an input shape (argument index), for the tests. */');
  lines.push('export const SHAPE_USERS: readonly { readonly cls: string; readonly module: string; readonly shape: PropShapeName; readonly param: number }[] = [');
  for (const u of users) lines.push(`  { cls: ${JSON.stringify(u.cls)}, module: ${JSON.stringify(u.module)}, shape: ${JSON.stringify(u.shape)}, param: ${u.param} },`);
  lines.push('];', '');
  lines.push('/** The static factories that take an input shape (argument index), for the tests. */');
  lines.push('export const SHAPE_FACTORIES: readonly { readonly cls: string; readonly method: string; readonly module: string; readonly shape: PropShapeName; readonly param: number }[] = [');
  for (const u of factories) lines.push(`  { cls: ${JSON.stringify(u.cls)}, method: ${JSON.stringify(u.method)}, module: ${JSON.stringify(u.module)}, shape: ${JSON.stringify(u.shape)}, param: ${u.param} },`);
  lines.push('];', '');
  return { text: lines.join('\n'), outside };
}

function isExported(s: ts.Node): boolean {
  return !!(ts.getCombinedModifierFlags(s as ts.Declaration) & ts.ModifierFlags.Export);
}

if (require.main === module) {
  const text = generate();
  const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write(`${path.relative(ROOT, OUTPUT)} is stale: run npx tsx scripts/prop-tables.ts\n`);
      process.exit(1);
    }
  } else if (current !== text) {
    fs.writeFileSync(OUTPUT, text);
    process.stdout.write(`wrote ${path.relative(ROOT, OUTPUT)}\n`);
  }
}
