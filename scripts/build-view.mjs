#!/usr/bin/env node
// Builds the self-contained page dist/view/index.html: src/view/main.ts bundled by esbuild
// (with the library it imports), the CSS and the script inlined into src/view/template.html.
// `acpi-iommu view` copies that file and embeds the inputs; opened empty it takes dropped files.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const viewDir = join(root, 'src', 'view');

/** The page as one HTML string. */
export async function buildViewHtml() {
  const result = await build({
    entryPoints: [join(viewDir, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // An inline script ends at the first "</script"; inside JS strings "<\/script" means the same.
  const script = result.outputFiles[0].text.replaceAll('</script', '<\\/script');
  const style = readFileSync(join(viewDir, 'style.css'), 'utf8');
  return readFileSync(join(viewDir, 'template.html'), 'utf8')
    .replace('/*STYLE*/', () => style)
    .replace('/*SCRIPT*/', () => script);
}

export async function buildView(outFile = join(root, 'dist', 'view', 'index.html')) {
  const html = await buildViewHtml();
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, html);
  return outFile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildView(process.argv[2]);
  console.log(`wrote ${out}`);
}
