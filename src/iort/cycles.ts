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

/** Returns the cyclic components, each as ascending node indices; components in discovery order. */
export function cyclicComponents(nodeCount: number, edges: EdgeList): number[][] {
  // Compressed adjacency: targets of node n are adjacency[start[n] .. start[n + 1]).
  const start = new Array<number>(nodeCount + 1).fill(0);
  for (const from of edges.from) start[from + 1]!++;
  for (let node = 0; node < nodeCount; node++) start[node + 1]! += start[node]!;
  const fill = start.slice();
  const adjacency = new Array<number>(edges.to.length);
  edges.from.forEach((from, edge) => {
    adjacency[fill[from]!++] = edges.to[edge]!;
  });
  const selfLoop = new Array<boolean>(nodeCount).fill(false);
  edges.from.forEach((from, edge) => {
    if (edges.to[edge] === from) selfLoop[from] = true;
  });

  const order = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  const onStack = new Array<boolean>(nodeCount).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < nodeCount; root++) {
    if (order[root] !== -1) continue;
    // Call stack of [node, next adjacency position].
    const calls: [number, number][] = [[root, start[root]!]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (calls.length > 0) {
      const frame = calls[calls.length - 1]!;
      const [node, position] = frame;
      if (position < start[node + 1]!) {
        frame[1] = position + 1;
        const next = adjacency[position]!;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = true;
          calls.push([next, start[next]!]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      calls.pop();
      const parent = calls[calls.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] !== order[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || selfLoop[node]) components.push(component.sort((a, b) => a - b));
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
