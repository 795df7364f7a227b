/**
 * The structure tree: items as nested lists, fields as buttons. `data-node` / `data-field`
 * name them (`t.structures.0`, `t.structures.0:registerBaseAddress`) for links and tests.
 */
import type { FieldRow, TreeNode } from '../model/tree.js';
import { h } from './dom.js';

export interface TreeView {
  element: HTMLElement;
  show(node: TreeNode, field: FieldRow | undefined): void;
}

export function treeView(root: TreeNode, onField: (node: TreeNode, field: FieldRow | undefined) => void, label: string): TreeView {
  const byKey = new Map<string, HTMLElement>();
  const render = (node: TreeNode): HTMLElement => {
    const title = h('button', { class: 'node-label', 'data-node': node.id, type: 'button' }, node.label);
    title.addEventListener('click', () => onField(node, undefined));
    byKey.set(node.id, title);
    const fields = node.fields.map((field) => {
      const button = h('button', { class: `field${field.derived ? ' derived' : ''}`, 'data-field': `${node.id}:${field.name}`, type: 'button', title: field.derived ? 'derived value (no bytes of its own)' : `bytes 0x${field.start.toString(16)}–0x${(field.end - 1).toString(16)}` },
        h('span', { class: 'field-name' }, field.name), ' ', h('span', { class: 'field-value' }, field.value));
      button.addEventListener('click', () => onField(node, field));
      byKey.set(`${node.id}:${field.name}`, button);
      return h('li', { role: 'none' }, button);
    });
    const children = node.children.map(render);
    return h('li', { role: 'treeitem', 'aria-expanded': 'true' }, title, h('ul', { role: 'group' }, ...fields, ...children));
  };
  const element = h('ul', { class: 'tree', role: 'tree', 'aria-label': `${label}: structures and fields` }, render(root));
  // Arrow keys walk the items and fields in order (Home/End: first/last), as a tree widget does.
  element.addEventListener('keydown', (event) => {
    const buttons = [...element.querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined || at < 0) return;
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
    event.preventDefault();
  });
  let current: HTMLElement | undefined;
  return {
    element,
    show(node, field) {
      current?.classList.remove('current');
      current = byKey.get(field === undefined ? node.id : `${node.id}:${field.name}`);
      current?.classList.add('current');
      current?.scrollIntoView({ block: 'nearest' });
    },
  };
}
