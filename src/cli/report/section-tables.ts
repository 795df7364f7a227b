/** Report section: which tables were found, with header facts. */
import type { ReportSection } from './sections.js';
import { printable } from '../shared/tables.js';
import { formatString } from '../dump/shapes.js';

export const tablesSection: ReportSection = {
  id: 'tables',
  title: 'Tables',
  lines(context, paint) {
    const lines = context.parsed.map((input) => {
      const header = input.table.header;
      const facts = header === undefined ? `${input.bytes.length} bytes, header unreadable` : `rev ${header.revision}, ${header.length} bytes, OEM ${formatString(header.oemId)} ${formatString(header.oemTableId)}`;
      return `${paint.bold(printable(input.signature))}  ${facts}  ${paint.dim(input.source)}`;
    });
    if (context.ignored.length > 0) {
      const names = context.ignored.map((table) => printable(table.signature)).join(' ');
      lines.push(paint.dim(`also present, not read: ${names}`));
    }
    return lines;
  },
  json(context) {
    return {
      read: context.parsed.map((input) => ({ source: input.source, signature: input.signature, header: input.table.header })),
      notRead: context.ignored.map((table) => ({ source: table.source, signature: table.signature })),
    };
  },
};
