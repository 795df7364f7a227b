/**
 * Strongly connected components of the node reference graph (iterative Tarjan, linear in nodes +
 * edges, no recursion so deep chains cannot overflow the stack). A component with more than one
 * node, or one node referring to itself, is a reference cycle (spec §5 #25).
 */

/** Edges as parallel arrays: `from[k] → to[k]`, node indices in `[0, nodeCount)`. */
export interface EdgeList {
  from: number[];
  to: number[];
}

/**
 * Returns the cyclic components, each as ascending node indices; components in discovery order.
 * Typed arrays throughout and no array per node or per call frame: an acyclic table of 100,000
 * nodes allocates a few flat arrays, not one small array per node (memory ≤ 2× input, issue 14).
 */
export function cyclicComponents(nodeCount: number, edges: EdgeList): number[][] {
  const edgeCount = edges.from.length;
  // Compressed adjacency: targets of node n are adjacency[start[n] .. start[n + 1]).
  const start = new Int32Array(nodeCount + 1);
  for (let edge = 0; edge < edgeCount; edge++) start[edges.from[edge]! + 1]!++;
  for (let node = 0; node < nodeCount; node++) start[node + 1]! += start[node]!;
  const fill = start.slice();
  const adjacency = new Int32Array(edgeCount);
  const selfLoop = new Uint8Array(nodeCount);
  for (let edge = 0; edge < edgeCount; edge++) {
    const from = edges.from[edge]!;
    const to = edges.to[edge]!;
    adjacency[fill[from]!++] = to;
    if (to === from) selfLoop[from] = 1;
  }

  const order = new Int32Array(nodeCount).fill(-1);
  const low = new Int32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const stack = new Int32Array(nodeCount);
  let stackTop = 0;
  // Call stack: node and next adjacency position per frame (each node is entered once).
  const callNode = new Int32Array(nodeCount);
  const callPosition = new Int32Array(nodeCount);
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1) continue;
    let calls = 0;
    callNode[calls] = root;
    callPosition[calls++] = start[root]!;
    order[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    while (calls > 0) {
      const node = callNode[calls - 1]!;
      const position = callPosition[calls - 1]!;
      if (position < start[node + 1]!) {
        callPosition[calls - 1] = position + 1;
        const next = adjacency[position]!;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack[stackTop++] = next;
          onStack[next] = 1;
          callNode[calls] = next;
          callPosition[calls++] = start[next]!;
        } else if (onStack[next] === 1) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      calls--;
      if (calls > 0) {
        const parent = callNode[calls - 1]!;
        low[parent] = Math.min(low[parent]!, low[node]!);
      }
      if (low[node] !== order[node]) continue;
      // The component is stack[first .. stackTop); only a cyclic one becomes an array.
      let first = stackTop - 1;
      while (stack[first] !== node) first--;
      for (let at = first; at < stackTop; at++) onStack[stack[at]!] = 0;
      if (stackTop - first > 1 || selfLoop[node] === 1) {
        const component: number[] = [];
        for (let at = stackTop - 1; at >= first; at--) component.push(stack[at]!);
        components.push(component.sort((a, b) => a - b));
      }
      stackTop = first;
    }
  }
  return components;
}

/**
 * For each component, the first edge (in edge order) whose both ends lie inside it: the
 * reference a cycle finding points at. One pass over the edges, whatever the component count.
 */
export function closingEdges(nodeCount: number, components: readonly (readonly number[])[], edges: EdgeList): number[] {
  const componentOf = new Array<number>(nodeCount).fill(-1);
  components.forEach((component, index) => {
    for (const member of component) componentOf[member] = index;
  });
  const closing = new Array<number>(components.length).fill(-1);
  let left = components.length;
  for (let edge = 0; edge < edges.from.length && left > 0; edge++) {
    const component = componentOf[edges.from[edge]!]!;
    if (component >= 0 && closing[component] === -1 && componentOf[edges.to[edge]!] === component) {
      closing[component] = edge;
      left--;
    }
  }
  return closing;
}
