/**
 * DMAR lints for table generators: scope Flags outside SIDP, RMRR and ATSR devices no DRHD
 * covers, and devices two DRHDs both claim. Without a PCI topology a scope below a bridge is
 * only known by its start bus, so "not covered" is reported only when no DRHD scope can reach it.
 */
import type { DiagnosticList } from '../bytes/diagnostics.js';
import { hex } from '../bytes/hex.js';
import type { DeviceScope, DmarTable } from '../dmar/index.js';
import { SEGMENT_OFFSET } from '../dmar/layout.js';

/** Device scope Flags byte at +2 (docs/spec.md §2.4). */
const SCOPE_FLAGS_AT = 2;

interface Claim {
  drhd: number;
  scope: DeviceScope;
}

interface Segment {
  includeAll: boolean;
  /** PCI scopes (endpoint / bridge) of the segment's DRHDs, by `bus:path` key; the first claim wins. */
  pci: Map<string, Claim>;
  /** Lowest start bus of a bridge scope: anything on a higher bus may sit below that bridge. */
  lowestBridgeBus: number;
}

const pathKey = (bus: number, path: readonly { device: number; function: number }[]) => `${bus}:${path.map((hop) => `${hop.device}.${hop.function}`).join('/')}`;
const scopeKey = (scope: DeviceScope) => pathKey(scope.startBusNumber, scope.path);
const isPci = (scope: DeviceScope) => scope.kind === 'endpoint' || scope.kind === 'bridge';

export function lintDmar(dmar: DmarTable, out: DiagnosticList): void {
  const segments = new Map<number, Segment>();
  const byId = new Map<string, Claim>();
  const seenUnits = new Set<string>();
  for (const structure of dmar.structures()) {
    if (structure.kind === 'unknown' || structure.kind === 'rhsa' || structure.kind === 'andd') continue;
    for (const scope of structure.deviceScopes()) {
      if (structure.kind === 'sidp' || scope.flags === 0) continue;
      out.add('lint.dmar.scope-flags', scope.offset + SCOPE_FLAGS_AT, `${structure.kind.toUpperCase()} at ${hex(structure.offset)}: ${scope.kind} scope Flags ${hex(scope.flags)}; Flags carry device properties only in SIDP scopes`, 1);
    }
    if (structure.kind !== 'drhd') continue;
    const unit = `${structure.segmentNumber}:${structure.registerBaseAddress}`;
    if (seenUnits.has(unit)) continue; // dmar.drhd.duplicate: Linux ignores the repeat
    seenUnits.add(unit);
    const segment = segments.get(structure.segmentNumber) ?? { includeAll: false, pci: new Map(), lowestBridgeBus: Infinity };
    segments.set(structure.segmentNumber, segment);
    segment.includeAll ||= structure.includePciAll;
    for (const scope of structure.deviceScopes()) {
      if (scope.kind === 'unknown' || (isPci(scope) && scope.pathLength === 0)) continue;
      claim(out, { drhd: structure.offset, scope }, isPci(scope) ? segment.pci : byId, isPci(scope) ? scopeKey(scope) : `${scope.kind}:${scope.enumerationId}`, segment);
    }
  }
  for (const [, segment] of segments) for (const [, item] of segment.pci) checkBelowOtherUnit(out, item, segment);
  lintCoverage(dmar, segments, out);
}

/** Records a DRHD scope; a second DRHD naming the same device is `lint.dmar.scope-shared`. */
function claim(out: DiagnosticList, item: Claim, claims: Map<string, Claim>, key: string, segment: Segment): void {
  const first = claims.get(key);
  if (first === undefined) {
    claims.set(key, item);
    if (item.scope.kind === 'bridge') segment.lowestBridgeBus = Math.min(segment.lowestBridgeBus, item.scope.startBusNumber);
    return;
  }
  if (first.drhd === item.drhd) return;
  out.add('lint.dmar.scope-shared', item.scope.offset, `DRHD at ${hex(item.drhd)}: ${describe(item.scope)} is also claimed by the DRHD at ${hex(first.drhd)} (scope at ${hex(first.scope.offset)})`, item.scope.length);
}

/** The bridge scope claimed by `segment` that lies above `scope` (a proper path prefix on its start bus). */
function bridgeAbove(segment: Segment, scope: DeviceScope): Claim | undefined {
  for (let depth = scope.path.length - 1; depth >= 1; depth--) {
    const above = segment.pci.get(pathKey(scope.startBusNumber, scope.path.slice(0, depth)));
    if (above?.scope.kind === 'bridge') return above;
  }
  return undefined;
}

/** A PCI scope of one DRHD below a bridge scope that another DRHD claims. */
function checkBelowOtherUnit(out: DiagnosticList, item: Claim, segment: Segment): void {
  const bridge = bridgeAbove(segment, item.scope);
  if (bridge === undefined || bridge.drhd === item.drhd) return;
  out.add('lint.dmar.scope-shared', item.scope.offset, `DRHD at ${hex(item.drhd)}: ${describe(item.scope)} lies below the bridge the DRHD at ${hex(bridge.drhd)} claims (scope at ${hex(bridge.scope.offset)})`, item.scope.length);
}

function describe(scope: DeviceScope): string {
  if (!isPci(scope)) return `${scope.kind} scope with ID ${hex(scope.enumerationId)}`;
  return `${scope.kind} scope bus ${hex(scope.startBusNumber)} path ${scope.path.map((hop) => `${hop.device.toString(16).padStart(2, '0')}.${hop.function}`).join('/')}`;
}

/** Why no DRHD reaches `scope`, or undefined when one does (or may, on a bus below one of its bridges). */
function uncovered(segment: Segment, scope: DeviceScope): string | undefined {
  if (segment.includeAll || segment.pci.has(scopeKey(scope)) || segment.lowestBridgeBus < scope.startBusNumber) return undefined;
  if (bridgeAbove(segment, scope) !== undefined) return undefined;
  return 'the segment has no INCLUDE_PCI_ALL DRHD and no DRHD scope reaches it';
}

function lintCoverage(dmar: DmarTable, segments: ReadonlyMap<number, Segment>, out: DiagnosticList): void {
  for (const structure of dmar.structures()) {
    if (structure.kind !== 'rmrr' && structure.kind !== 'atsr') continue;
    const code = structure.kind === 'rmrr' ? 'lint.dmar.rmrr-uncovered' : 'lint.dmar.atsr-uncovered';
    const name = `${structure.kind.toUpperCase()} at ${hex(structure.offset)}`;
    const segment = segments.get(structure.segmentNumber);
    if (segment === undefined) {
      out.add(code, structure.offset + SEGMENT_OFFSET, `${name} is for PCI segment ${hex(structure.segmentNumber, 4)}, which no DRHD covers`, 2);
      continue;
    }
    for (const scope of structure.deviceScopes()) {
      if (!isPci(scope) || scope.pathLength === 0) continue;
      const why = uncovered(segment, scope);
      if (why !== undefined) out.add(code, scope.offset, `${name}: ${describe(scope)} on segment ${hex(structure.segmentNumber, 4)}: ${why}`, scope.length);
    }
  }
}
