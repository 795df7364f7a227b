/** Opens a file in the user's browser with the platform's own opener; never waits for it. */
import { spawn } from 'node:child_process';

function opener(file: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [file]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', file]];
  return ['xdg-open', [file]];
}

/** Resolves to an error message when the opener could not be started. */
export function openInBrowser(file: string): Promise<string | undefined> {
  const [command, args] = opener(file);
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', (error) => resolve(`could not start ${command} (${error.message})`));
    child.on('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}
