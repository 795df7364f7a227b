/**
 * One table: structure tree, hex view and diagnostics, linked both ways. A click on a field
 * lights its bytes; a click on a byte shows its field and structure; a diagnostic lights the
 * bytes it concerns.
 */
import type { Diagnostic } from '../../bytes/diagnostics.js';
import type { PageTable } from '../model/inputs.js';
import { buildTree, byteOwners, type FieldRow, type TreeNode } from '../model/tree.js';
import { h, hex } from './dom.js';
import { hexView } from './hex-view.js';
import { treeView } from './tree-view.js';

export function tablePanel(entry: PageTable): HTMLElement {
  const { bytes, table, kind } = entry;
  const prefix = `t${entry.index}`;
  const root = buildTree(table, kind, bytes.length);
  const owners = byteOwners(root, bytes.length);
  const diagnostics = [...table.diagnostics].sort((a, b) => a.offset - b.offset);
  const marked = new Set<number>();
  for (const item of diagnostics) for (let at = item.offset; at < Math.min(bytes.length, item.offset + Math.max(1, item.length ?? 1)); at++) marked.add(at);

  const detail = h('div', { class: 'detail', id: `${prefix}-detail`, 'aria-live': 'polite' }, 'Click a field or a byte.');
  const name = `${entry.signature} (${entry.source})`;
  const showField = (node: TreeNode, field: FieldRow | undefined, from: 'tree' | 'hex') => {
    const start = field?.start ?? node.start;
    const end = field?.end ?? node.end;
    hexPane.select(start, end);
    tree.show(node, field);
    const what = field === undefined ? node.label : `${field.name} = ${field.value}${field.derived ? ' (derived)' : ''}`;
    detail.replaceChildren(
      h('div', { class: 'detail-field' }, what),
      h('div', { class: 'detail-node' }, `in ${node.label}`),
      h('div', { class: 'detail-bytes' }, `bytes ${hex(start, 4)}–${hex(Math.max(start, end - 1), 4)} (${end - start})`),
      ...diagnosticsAt(diagnostics, start, end).map((item) => h('div', { class: `diag-line ${item.severity}` }, `${item.severity} ${item.code}: ${item.message}`)),
    );
    if (from === 'hex') detail.focus?.();
  };
  const hexPane = hexView(bytes, marked, (offset) => {
    const owner = owners[offset];
    if (owner !== undefined) showField(owner.node, owner.field, 'hex');
  }, name);
  const tree = treeView(root, (node, field) => showField(node, field, 'tree'), name);

  const list = h('ol', { class: 'diagnostics', 'aria-label': `${name}: diagnostics by offset` }, ...diagnostics.map((item, index) => {
    const button = h('button', { type: 'button', class: `diag-item ${item.severity}`, 'data-diag': index },
      h('span', { class: 'diag-offset' }, hex(item.offset, 4)), ` ${item.severity} ${item.code} `, h('span', { class: 'diag-message' }, item.message));
    button.addEventListener('click', () => {
      hexPane.select(item.offset, item.offset + Math.max(1, item.length ?? 1));
      const owner = owners[item.offset];
      if (owner !== undefined) tree.show(owner.node, owner.field);
      detail.replaceChildren(h('div', { class: `diag-line ${item.severity}` }, `${item.code} at ${hex(item.offset, 4)}: ${item.message}`));
    });
    return h('li', {}, button);
  }));

  const header = table.header;
  const summary = header === undefined ? `header unreadable (${bytes.length} bytes)` : `rev ${header.revision}, ${header.length} bytes, OEM ${header.oemId.trim()} ${header.oemTableId.trim()}`;
  return h('section', { class: 'table-panel', id: `${prefix}`, 'aria-label': name },
    h('h2', {}, `${kind.title} — ${entry.source}`, h('span', { class: 'summary' }, ` ${summary}`)),
    h('div', { class: 'panes' },
      h('div', { class: 'pane tree-pane' }, tree.element),
      h('div', { class: 'pane hex-pane' }, hexPane.element),
      h('div', { class: 'pane side-pane' }, detail,
        h('h3', {}, `Diagnostics (${diagnostics.length})`), diagnostics.length === 0 ? h('p', {}, 'none') : list)));
}

function diagnosticsAt(diagnostics: readonly Diagnostic[], start: number, end: number): Diagnostic[] {
  return diagnostics.filter((item) => item.offset < end && item.offset + Math.max(1, item.length ?? 1) > start);
}
