/** fast-check generators of valid table models, one module per table (fuzz/arbitraries/*). */
export { dmarModelArbitrary, dmarStructureArbitrary } from './arbitraries/dmar.js';
export { iortModelArbitrary, IORT_NODE_REVISIONS } from './arbitraries/iort.js';
export { madtModelArbitrary, madtAllTypesArbitrary } from './arbitraries/madt.js';
export { acpiPath, asciiField, headerArbitrary, pageAddress, u64, uint } from './arbitraries/common.js';
export { ivrsModelArbitrary, ivrsBlockArbitrary } from './arbitraries/ivrs.js';
