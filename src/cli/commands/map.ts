import type { Command } from 'commander';
import type { MapOptions } from '../map/run.js';
import { INPUT_ARGUMENT_HELP } from '../shared/conventions.js';

export function register(program: Command): void {
  program
    .command('map')
    .description('IORT ID translation path of a device, hop by hop: to its SMMU (stream ID) and to its ITS (MSI device ID and doorbell)')
    .argument('<input...>', `${INPUT_ARGUMENT_HELP}; an IORT (+ the APIC of the same set for ITS doorbells)`)
    .option('--rid <bdf|id>', 'the PCI device: its address (01:00.0, 0000:01:00.0) or requester ID (bus << 8 | devfn, e.g. 0x100)')
    .option('--segment <n>', 'PCI segment of --rid (default 0)')
    .option('--node <offset|name>', 'start at a node: its table offset (0x…) or a named component path (\\_SB.ETH0)')
    .option('--id <n>', 'with --node: the input ID (default: the node\'s single mappings, as Linux does for platform devices)')
    .option('--json', 'print every hop as JSON')
    .addHelpText('after', '\nExit: 0 a path was found, 1 the device reaches neither an SMMU nor an ITS, 2 bad input.')
    .action(async (inputs: string[], _options: MapOptions, command: Command) => {
      const { runMap } = await import('../map/run.js');
      process.exitCode = await runMap(inputs, command.optsWithGlobals<MapOptions>());
    });
}
