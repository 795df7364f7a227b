export { crossCheck, type CrossTables, type CrossFindings } from './checks.js';
export { CROSS_CODES } from './codes.js';
