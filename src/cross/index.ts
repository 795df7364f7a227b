export { crossCheck, type CrossTables, type CrossFindings } from './checks.js';
export { CROSS_CODES, type CrossCode } from './codes.js';
