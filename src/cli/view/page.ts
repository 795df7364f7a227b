/**
 * The built page (dist/view/index.html, scripts/build-view.mjs) with inputs embedded: the
 * payload replaces the `null` of its `acpi-iommu-inputs` JSON element.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { toBase64 } from '../../node/archive.js';

const PLACEHOLDER = '<script type="application/json" id="acpi-iommu-inputs">null</script>';

/** The bundled CLI (dist/cli/view.js, scripts/build-cli.mjs) → dist/view/; from the sources (src/cli/view/) → dist/view/ of the checkout. */
const CANDIDATES = ['../view/index.html', '../../../dist/view/index.html'].map((path) => fileURLToPath(new URL(path, import.meta.url)));

export async function readPageTemplate(): Promise<string | undefined> {
  for (const path of CANDIDATES) {
    try {
      const text = await readFile(path, 'utf8');
      if (text.includes(PLACEHOLDER)) return text;
    } catch {
      // Try the next place.
    }
  }
  return undefined;
}

export interface EmbeddedFile {
  name: string;
  signature: string;
  bytes: Uint8Array;
}

export function embedInputs(template: string, files: readonly EmbeddedFile[], extra: { pci?: unknown; guestRam?: string | undefined }): string {
  const payload = { files: files.map((file) => ({ name: file.name, signature: file.signature, base64: toBase64(file.bytes) })), ...extra };
  // "<" never appears raw, so no name can end the script element early.
  const json = JSON.stringify(payload).replaceAll('<', '\\u003c');
  return template.replace(PLACEHOLDER, () => PLACEHOLDER.replace('null', json));
}
