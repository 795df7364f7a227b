// binary-parser 2.3 ships types for its CommonJS build only; under NodeNext its ESM entry
// (`dist/esm/binary_parser.mjs`) has no `.d.mts`. Give the ESM import the same declarations.
declare module 'binary-parser' {
  export * from 'binary-parser/dist/binary_parser.js';
}
