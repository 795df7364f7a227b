// Types of scripts/mutate.mjs for test/mutate-script.test.ts (the project does not check JS).
export declare const NODE_VERSION: string;
export declare function canRunStryker(version: string): boolean;
export declare function nodePackage(platform: string, arch: string): string | undefined;
export type NodeChoice =
  | { kind: 'current' | 'cached'; node: string }
  | { kind: 'install'; node: string; pkg: string; prefix: string }
  | { kind: 'unsupported'; reason: string };
export declare function selectNode(machine: {
  version: string;
  execPath: string;
  platform: string;
  arch: string;
  cacheDir: string;
  exists: (path: string) => boolean;
}): NodeChoice;
