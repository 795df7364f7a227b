/**
 * Renders api/acpi-iommu.api.md: every export of the package entries (`acpi-iommu`,
 * `acpi-iommu/node`) with its signature as the type checker sees it, so a change to the public
 * surface shows up in review as a diff of this file. `npm run api-report` rewrites it; a test
 * fails while the file and the code disagree.
 *
 * Functions: their call signatures (inferred return types included). Classes: constructor (when
 * exported as a value) and public members. Interfaces and type aliases: their declaration text
 * without comments. Constants: their type, or only the key names of a large object (code tables).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const API_REPORT_PATH = `${ROOT}api/acpi-iommu.api.md`;
const ENTRIES = [
  { name: 'acpi-iommu', file: `${ROOT}src/index.ts` },
  { name: 'acpi-iommu/node', file: `${ROOT}src/node/index.ts` },
];
const TYPE_FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrayAsGenericType;
/** Longer constant types print as key lists: code tables' summaries are data, not surface. */
const LONG_TYPE = 160;

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(`${ROOT}tsconfig.build.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('cannot read tsconfig.build.json');
  return ts.createProgram(ENTRIES.map((entry) => entry.file), { ...config.options, noEmit: true });
}

/** Whether an export is reachable at run time (not `export type`, and a value at its source). */
function isValueExport(symbol: ts.Symbol, target: ts.Symbol): boolean {
  const typeOnly = (symbol.declarations ?? []).some((declaration) => ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly));
  return !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
}

function isPublicMember(symbol: ts.Symbol): boolean {
  if (symbol.name.startsWith('__#')) return false; // ES #private fields
  return !(symbol.declarations ?? []).some((declaration) => (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0);
}

function member(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
  const type = checker.getTypeOfSymbolAtLocation(symbol, at);
  const declaration = symbol.declarations?.[0];
  const readonly = declaration !== undefined && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly) !== 0 ? 'readonly ' : '';
  const isMethod = declaration !== undefined && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration));
  if (isMethod) return type.getCallSignatures().map((signature) => `  ${symbol.name}${checker.signatureToString(signature, at, TYPE_FLAGS)};`).join('\n');
  const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0 ? '?' : '';
  const accessor = declaration !== undefined && ts.isGetAccessorDeclaration(declaration) ? 'get ' : '';
  return `  ${accessor}${readonly}${symbol.name}${optional}: ${checker.typeToString(type, at, TYPE_FLAGS)};`;
}

function renderClass(checker: ts.TypeChecker, name: string, target: ts.Symbol, asValue: boolean): string {
  const declaration = target.valueDeclaration as ts.ClassDeclaration;
  const typeParameters = declaration.typeParameters === undefined ? '' : `<${declaration.typeParameters.map((parameter) => parameter.getText()).join(', ')}>`;
  const heritage = (declaration.heritageClauses ?? []).map((clause) => ` ${clause.getText()}`).join('');
  const lines = [`${asValue ? 'class' : 'type-only class'} ${name}${typeParameters}${heritage} {`];
  const staticType = checker.getTypeOfSymbolAtLocation(target, declaration);
  if (asValue) {
    for (const signature of staticType.getConstructSignatures()) lines.push(`  constructor${checker.signatureToString(signature, declaration, TYPE_FLAGS).replace(/: [^:]+$/, '')};`);
    for (const property of staticType.getProperties().filter((property) => property.name !== 'prototype' && isPublicMember(property))) lines.push(`  static${member(checker, property, declaration).slice(1)}`);
  }
  const instance = checker.getDeclaredTypeOfSymbol(target);
  for (const property of instance.getProperties().filter(isPublicMember)) lines.push(member(checker, property, declaration));
  lines.push('}');
  return lines.join('\n');
}

function renderConstant(checker: ts.TypeChecker, name: string, target: ts.Symbol): string {
  const declaration = target.valueDeclaration!;
  const type = checker.getTypeOfSymbolAtLocation(target, declaration);
  const text = checker.typeToString(type, declaration, TYPE_FLAGS);
  if (text.length <= LONG_TYPE || type.getProperties().length === 0) return `const ${name}: ${text};`;
  return [`const ${name}: {`, ...type.getProperties().map((property) => `  ${JSON.stringify(property.name)}: …;`), '};'].join('\n');
}

const printer = ts.createPrinter({ removeComments: true });

function renderExport(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
  const asValue = isValueExport(symbol, target);
  const name = symbol.name;
  const flags = target.flags;
  if (flags & ts.SymbolFlags.Class) return renderClass(checker, name, target, asValue);
  if (flags & ts.SymbolFlags.Function) {
    const declaration = target.valueDeclaration!;
    const signatures = checker.getTypeOfSymbolAtLocation(target, declaration).getCallSignatures();
    return signatures.map((signature) => `function ${name}${checker.signatureToString(signature, declaration, TYPE_FLAGS)};`).join('\n');
  }
  if (flags & ts.SymbolFlags.Variable) return renderConstant(checker, name, target);
  const parts = (target.declarations ?? []).map((declaration) => {
    const text = printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile()).replace(/^export (declare )?/, '');
    return text.replace(/\s+$/, '');
  });
  return parts.join('\n');
}

export function renderApiReport(): string {
  const built = program();
  const checker = built.getTypeChecker();
  const lines = [
    '# acpi-iommu public API',
    '',
    'Every export of the package entries with its signature, generated by `npm run api-report` (scripts/api-report.ts)',
    'from the type checker\'s view of the sources; a test fails while this file and the code disagree, so a change to the',
    'public surface is visible in review. `type-only class`: usable as a type; instances come from the parse functions.',
    '',
  ];
  for (const entry of ENTRIES) {
    const source = built.getSourceFile(entry.file)!;
    const module = checker.getSymbolAtLocation(source)!;
    const exports = checker.getExportsOfModule(module).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const values = exports.filter((symbol) => isValueExport(symbol, (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol));
    lines.push(`## \`${entry.name}\``, '', `${values.length} run-time exports, ${exports.length - values.length} type-only exports.`, '', '```ts');
    for (const symbol of exports) lines.push(renderExport(checker, symbol), '');
    lines.push('```', '');
  }
  // The checker names unexported types by absolute path (import("/…/src/x")): keep the report independent of the checkout.
  return lines.join('\n').replaceAll(`import("${ROOT}`, 'import("./');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(API_REPORT_PATH, renderApiReport());
  console.log(`wrote ${API_REPORT_PATH}`);
}
