/**
 * Structure-aware mutation of JSON inputs (encoder models, `--pci` topologies, memory maps):
 * a few edits at random places — a hostile value, a deleted member, a duplicated element —
 * so the commands meet models and files that are almost right.
 */
import { jsonReplacer } from '../src/bytes/hex.js';
import type { Random } from './prng.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that break careless code: limits of each width, wrong types, prototype keys. */
const HOSTILE: readonly (() => Json)[] = [
  () => 0, () => -1, () => 1.5, () => 255, () => 65535, () => 65536, () => 2 ** 32, () => 2 ** 53 + 2, () => 1e308, () => -1e308,
  () => '0xffffffffffffffffffff', () => '0x', () => '-0x1', () => '', () => 'x'.repeat(300), () => '1e3', () => 'NaN',
  () => null, () => true, () => [], () => ({}), () => [null], () => JSON.parse('{"__proto__": {"polluted": 1}}') as Json,
];

/** Every container and leaf, with the parent and key that hold it; at most `limit`. */
function places(root: Json, limit = 5000): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const found: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0 && found.length < limit) {
    const value = stack.pop()!;
    if (Array.isArray(value)) value.forEach((item, index) => (found.push({ parent: value, key: index }), stack.push(item)));
    else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) found.push({ parent: value, key }), stack.push(value[key]!);
  }
  return found;
}

/** A mutated deep copy of `value` (1–3 edits) and the names of the edits made. */
export function mutateJson(value: unknown, random: Random): { value: unknown; operators: string[] } {
  const root = JSON.parse(JSON.stringify(value, jsonReplacer)) as Json;
  const operators: string[] = [];
  for (let edits = random.between(1, 3); edits > 0; edits--) {
    const all = places(root);
    if (all.length === 0) break;
    const { parent, key } = random.pick(all);
    const roll = random.below(10);
    if (roll < 5) {
      (parent as Record<string | number, Json>)[key] = random.pick(HOSTILE)();
      operators.push('json-hostile');
    } else if (roll < 7) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      operators.push('json-delete');
    } else if (roll < 9 && Array.isArray(parent)) {
      const copies = random.pick([1, 2, 16, 300]);
      parent.splice(key as number, 0, ...Array.from({ length: copies }, () => JSON.parse(JSON.stringify(parent[key as number] ?? null)) as Json));
      operators.push(`json-duplicate×${copies}`);
    } else {
      const current = (parent as Record<string | number, Json>)[key];
      (parent as Record<string | number, Json>)[key] = typeof current === 'number' ? current + random.pick([-1, 1, 2 ** 31, -(2 ** 31)]) : typeof current === 'string' ? current.slice(0, -1) : current ?? null;
      operators.push('json-nudge');
    }
  }
  return { value: root, operators };
}
