/**
 * Strongly connected components of the node reference graph (iterative Tarjan, linear in nodes +
 * edges, no recursion so deep chains cannot overflow the stack). A component with more than one
 * node, or one node referring to itself, is a reference cycle (spec §5 #25).
 *
 * The working arrays are typed arrays reused from parse to parse (grown on demand, dropped when
 * a much smaller graph follows a huge one): a parse allocates nothing here unless it finds a cycle.
 */

/** Edges as parallel arrays: `from[k] → to[k]`, node indices in `[0, nodeCount)`. */
export interface EdgeList {
  from: ArrayLike<number>;
  to: ArrayLike<number>;
}

const SMALLEST = 64;
/** Arrays above this many entries are replaced at the next call that needs a quarter of them. */
const KEEP_AT_MOST = 1 << 16;

/** Reused working arrays; `start` has nodeCount + 1 entries, `adjacency` one per edge. */
let start = new Int32Array(SMALLEST + 1);
let adjacency = new Int32Array(SMALLEST);
let order = new Int32Array(SMALLEST);
let low = new Int32Array(SMALLEST);
let stack = new Int32Array(SMALLEST);
let callNode = new Int32Array(SMALLEST);
let callPosition = new Int32Array(SMALLEST);
let flags = new Uint8Array(SMALLEST);
const ON_STACK = 1;
const SELF_LOOP = 2;

function sized(length: number, needed: number): number | undefined {
  if (needed <= length && !(length > KEEP_AT_MOST && needed * 4 < length)) return undefined;
  return Math.max(SMALLEST, needed);
}

function ensureCapacity(nodeCount: number, edgeCount: number): void {
  const nodes = sized(order.length, nodeCount);
  if (nodes !== undefined) {
    start = new Int32Array(nodes + 1);
    order = new Int32Array(nodes);
    low = new Int32Array(nodes);
    stack = new Int32Array(nodes);
    callNode = new Int32Array(nodes);
    callPosition = new Int32Array(nodes);
    flags = new Uint8Array(nodes);
  }
  const edges = sized(adjacency.length, edgeCount);
  if (edges !== undefined) adjacency = new Int32Array(edges);
}

/**
 * Returns the cyclic components, each as ascending node indices; components in discovery order.
 * `edgeCount` edges of `edges` are read (all by default).
 */
export function cyclicComponents(nodeCount: number, edges: EdgeList, edgeCount = edges.from.length): number[][] {
  ensureCapacity(nodeCount, edgeCount);
  // Compressed adjacency: targets of node n are adjacency[start[n] .. start[n + 1]).
  start.fill(0, 0, nodeCount + 1);
  flags.fill(0, 0, nodeCount);
  for (let edge = 0; edge < edgeCount; edge++) start[edges.from[edge]! + 1]!++;
  for (let node = 0; node < nodeCount; node++) start[node + 1]! += start[node]!;
  // `low` is the fill cursor until the search below overwrites it.
  low.set(start.subarray(0, nodeCount));
  for (let edge = 0; edge < edgeCount; edge++) {
    const from = edges.from[edge]!;
    const to = edges.to[edge]!;
    adjacency[low[from]!++] = to;
    if (to === from) flags[from]! |= SELF_LOOP;
  }

  order.fill(-1, 0, nodeCount);
  const components: number[][] = [];
  let counter = 0;
  let stackTop = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1) continue;
    // Call stack of (node, next adjacency position).
    let depth = 0;
    callNode[0] = root;
    callPosition[0] = start[root]!;
    order[root] = low[root] = counter++;
    stack[stackTop++] = root;
    flags[root]! |= ON_STACK;
    while (depth >= 0) {
      const node = callNode[depth]!;
      const position = callPosition[depth]!;
      if (position < start[node + 1]!) {
        callPosition[depth] = position + 1;
        const next = adjacency[position]!;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack[stackTop++] = next;
          flags[next]! |= ON_STACK;
          depth++;
          callNode[depth] = next;
          callPosition[depth] = start[next]!;
        } else if ((flags[next]! & ON_STACK) !== 0) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] !== order[node]) continue;
      // The component is the stack from `node` up.
      let bottom = stackTop - 1;
      while (stack[bottom] !== node) bottom--;
      if (stackTop - bottom > 1 || (flags[node]! & SELF_LOOP) !== 0) {
        components.push(Array.from(stack.subarray(bottom, stackTop)).sort((a, b) => a - b));
      }
      for (let member = bottom; member < stackTop; member++) flags[stack[member]!]! &= ~ON_STACK;
      stackTop = bottom;
    }
  }
  return components;
}

/**
 * For each component, the first edge (in edge order) whose both ends lie inside it: the
 * reference a cycle finding points at. One pass over the edges, whatever the component count.
 */
export function closingEdges(nodeCount: number, components: readonly (readonly number[])[], edges: EdgeList, edgeCount = edges.from.length): number[] {
  const componentOf = new Array<number>(nodeCount).fill(-1);
  components.forEach((component, index) => {
    for (const member of component) componentOf[member] = index;
  });
  const closing = new Array<number>(components.length).fill(-1);
  let left = components.length;
  for (let edge = 0; edge < edgeCount && left > 0; edge++) {
    const component = componentOf[edges.from[edge]!]!;
    if (component >= 0 && closing[component] === -1 && componentOf[edges.to[edge]!] === component) {
      closing[component] = edge;
      left--;
    }
  }
  return closing;
}
