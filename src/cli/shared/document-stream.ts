/**
 * A `--json` document written member by member, with one array whose items arrive one at a time
 * (each already JSON text): a run over thousands of machines writes each machine's part as it
 * is delivered instead of holding the whole document. The text is what `writeJson` prints for
 * the same object (two-space indent, bigint as "0x…").
 */
import { jsonReplacer } from '../../bytes/hex.js';
import { ChunkedWriter } from './output.js';

/** Items sit two levels deep: in an array member of the document. */
const ITEM_INDENT = '    ';

export class DocumentStream {
  private members = 0;
  private items = 0;
  constructor(private readonly writer: ChunkedWriter = new ChunkedWriter()) {}

  async member(name: string, value: unknown): Promise<void> {
    await this.writer.write(`${this.key(name)}${(JSON.stringify(value, jsonReplacer, 2) ?? 'null').replace(/\n/g, '\n  ')}`);
  }

  async openArray(name: string): Promise<void> {
    this.items = 0;
    await this.writer.write(this.key(name));
  }

  /** One item of the open array, as `JSON.stringify(item, jsonReplacer, 2)` gives it. */
  async item(text: string): Promise<void> {
    await this.writer.write(`${this.items++ === 0 ? '[' : ','}\n${ITEM_INDENT}${text.replace(/\n/g, `\n${ITEM_INDENT}`)}`);
  }

  async closeArray(): Promise<void> {
    await this.writer.write(this.items === 0 ? '[]' : '\n  ]');
  }

  async close(): Promise<void> {
    await this.writer.write(this.members === 0 ? '{}\n' : '\n}\n');
    await this.writer.flush();
  }

  /** Lets output reach the stream now (before the progress bar is drawn again). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private key(name: string): string {
    return `${this.members++ === 0 ? '{' : ','}\n  ${JSON.stringify(name)}: `;
  }
}
