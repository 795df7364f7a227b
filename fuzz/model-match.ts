/**
 * "Gives back the model": every field a model states must come back, equal, in the parser's
 * JSON. Numbers compare by value whatever their form (number, bigint, `"0x…"`); fields the
 * model leaves out (offsets, lengths, derived booleans) are not compared. IORT references
 * `{node: i}` compare against the offset of the i-th parsed node.
 */

export interface MatchContext {
  /** Table offsets of the parsed nodes, for `{node: i}` references. */
  nodeOffsets?: readonly number[];
}

function numeric(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return BigInt(value);
  return undefined;
}

function isNodeReference(value: unknown): value is { node: number } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { node?: unknown }).node === 'number';
}

function listOf(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof Uint8Array) return Array.from(value);
  return undefined;
}

/** Paths (and both values) where `parsed` does not carry what `model` states. Empty = match. */
export function modelMismatches(model: unknown, parsed: unknown, context: MatchContext = {}, path = '$'): string[] {
  if (model === undefined) return [];
  if (isNodeReference(model)) {
    const offset = context.nodeOffsets?.[model.node];
    return numeric(parsed) === (offset === undefined ? undefined : BigInt(offset)) ? [] : [`${path}: {node: ${model.node}} (offset ${offset}) vs ${String(parsed)}`];
  }
  const modelNumber = typeof model === 'string' && !/^0x/i.test(model) ? undefined : numeric(model);
  if (modelNumber !== undefined) return numeric(parsed) === modelNumber ? [] : [`${path}: ${String(model)} vs ${String(parsed)}`];
  const modelList = listOf(model);
  if (modelList !== undefined) {
    const parsedList = listOf(parsed);
    if (parsedList === undefined || parsedList.length !== modelList.length) return [`${path}: ${modelList.length} items vs ${parsedList?.length ?? String(parsed)}`];
    return modelList.flatMap((item, index) => modelMismatches(item, parsedList[index], context, `${path}[${index}]`));
  }
  if (typeof model === 'object' && model !== null) {
    if (typeof parsed !== 'object' || parsed === null) return [`${path}: object vs ${String(parsed)}`];
    const record = parsed as Record<string, unknown>;
    return Object.entries(model).flatMap(([key, value]) => modelMismatches(value, record[key], context, `${path}.${key}`));
  }
  return Object.is(model, parsed) ? [] : [`${path}: ${JSON.stringify(model)} vs ${JSON.stringify(parsed)}`];
}
