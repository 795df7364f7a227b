/**
 * A piecewise address axis: every region edge is a breakpoint and each piece between two
 * breakpoints gets a width that grows only with the logarithm of its size, so a 4 KiB MSI page
 * stays visible beside a 2^48-byte gap. Inside a piece the scale is linear.
 */
export interface AxisPiece {
  start: bigint;
  /** Exclusive. */
  end: bigint;
  x0: number;
  x1: number;
}

export interface Axis {
  pieces: AxisPiece[];
  width: number;
  /** x positions where the scale jumps by 16× or more: drawn as breaks. */
  breaks: number[];
}

/** Piece weight: 1 for a byte, 1 + 64/16 = 5 for the whole 64-bit space. */
function weight(size: bigint): number {
  return 1 + Math.log2(Number(size)) / 16;
}

/** `limit` and the ranges are inclusive; ranges outside `limit` are clipped. */
export function buildAxis(ranges: readonly { start: bigint; end: bigint }[], limit: { start: bigint; end: bigint }, width: number): Axis {
  const top = limit.end + 1n;
  const edges = new Set<bigint>([limit.start, top]);
  for (const range of ranges) {
    for (const edge of [range.start, range.end + 1n]) if (edge > limit.start && edge < top) edges.add(edge);
  }
  const sorted = [...edges].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const sizes = sorted.slice(1).map((end, index) => end - sorted[index]!);
  const weights = sizes.map(weight);
  const total = weights.reduce((sum, value) => sum + value, 0);
  const pieces: AxisPiece[] = [];
  let x = 0;
  weights.forEach((value, index) => {
    const next = x + (value / total) * width;
    pieces.push({ start: sorted[index]!, end: sorted[index + 1]!, x0: x, x1: next });
    x = next;
  });
  return { pieces, width, breaks: scaleBreaks(pieces) };
}

function bytesPerPixel(piece: AxisPiece): number {
  return Number(piece.end - piece.start) / Math.max(piece.x1 - piece.x0, 1e-9);
}

function scaleBreaks(pieces: readonly AxisPiece[]): number[] {
  const breaks: number[] = [];
  for (let index = 1; index < pieces.length; index++) {
    const ratio = bytesPerPixel(pieces[index]!) / bytesPerPixel(pieces[index - 1]!);
    if (ratio >= 16 || ratio <= 1 / 16) breaks.push(pieces[index]!.x0);
  }
  return breaks;
}

/** x of an address (clamped to the axis). */
export function positionOf(axis: Axis, address: bigint): number {
  const { pieces } = axis;
  if (pieces.length === 0) return 0;
  if (address <= pieces[0]!.start) return pieces[0]!.x0;
  let low = 0;
  let high = pieces.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (pieces[middle]!.start <= address) low = middle;
    else high = middle - 1;
  }
  const piece = pieces[low]!;
  if (address >= piece.end) return piece.x1;
  const fraction = Number(((address - piece.start) << 32n) / (piece.end - piece.start)) / 2 ** 32;
  return piece.x0 + fraction * (piece.x1 - piece.x0);
}
