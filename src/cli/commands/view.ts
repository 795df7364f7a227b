import type { Command } from 'commander';
import { INPUT_ARGUMENT_HELP } from '../shared/conventions.js';
import type { ViewOptions } from '../view/run.js';

export function register(program: Command): void {
  program
    .command('view')
    .description('write one self-contained HTML page showing the tables (hex linked to fields, address map, IORT graph, DMAR scopes, IVRS units) and open it in the browser; without inputs, an empty page that takes dropped files')
    .argument('[input...]', INPUT_ARGUMENT_HELP)
    .option('--pci <path>', 'PCI topology to embed: a sysfs root (/sys) or its bus/pci/devices directory, or a JSON file')
    .option('--guest-ram <ranges|file.json>', 'guest RAM layout to draw and check against the regions, as conflicts takes it')
    .option('--out <file>', 'where to write the page (default: a new file in the temporary directory)')
    .option('--force', 'overwrite --out if it exists')
    .option('--no-open', 'only write the page, do not open a browser')
    .action(async (inputs: string[], _options: ViewOptions, command: Command) => {
      const { runView } = await import('../view/run.js');
      process.exitCode = await runView(inputs, command.optsWithGlobals<ViewOptions>());
    });
}
