export { TableReader } from './reader.js';
export { asBytes, isDetachedInput, type BytesInput } from './input.js';
export { DiagnosticList, compareDiagnostics, setFindingCapPerCode, findingCapPerCodeInUse, DEFAULT_FINDING_CAP_PER_CODE, type Diagnostic, type Severity, type CodeInfo, type CodeTable } from './diagnostics.js';
export { SDT_CODES, SDT_HEADER_SIZE, checksumOf, readSdtHeader, readSdtHeaderFields, type SdtHeader, type HeaderResult } from './sdt.js';
export { hex, padHex, jsonReplacer, toJsonText } from './hex.js';
