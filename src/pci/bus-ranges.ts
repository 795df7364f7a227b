/**
 * Bridge bus ranges inferred from the devices below them, in time linear in the devices: a
 * --pci JSON may give explicit parents forming one chain 40,000 bridges deep (or a loop),
 * where walking every device's ancestors is quadratic.
 */
import { bdfOf, type PciDevice } from './model.js';

/**
 * Secondary bus = bus of the first child in probe order, subordinate = highest bus anywhere
 * below. Bus numbers the reader gave explicitly are kept. Parents that loop are each other's
 * ancestors (every member of a loop is below every other, with whatever hangs off the loop);
 * a device that names itself as parent has none.
 */
export function inferBusRanges(devices: PciDevice[]): void {
  const byBdf = new Map(devices.map((device) => [bdfOf(device), device]));
  const parentOf = new Map<PciDevice, PciDevice>();
  for (const device of devices) {
    const parent = device.parent === undefined ? undefined : byBdf.get(device.parent);
    if (parent === undefined || parent === device) continue;
    parentOf.set(device, parent);
    if (parent.secondaryBus === undefined) parent.secondaryBus = device.bus;
  }
  const below = highestBusBelow(devices, parentOf);
  for (const device of devices) {
    const highest = below.get(device);
    if (device.subordinateBus === undefined && highest !== undefined) device.subordinateBus = highest;
  }
  // A bridge given only its secondary bus covers that one bus.
  for (const device of devices) if (device.secondaryBus !== undefined && device.subordinateBus === undefined) device.subordinateBus = device.secondaryBus;
}

/** For each device with anything below it, the highest bus number of those devices. */
function highestBusBelow(devices: readonly PciDevice[], parentOf: ReadonlyMap<PciDevice, PciDevice>): Map<PciDevice, number> {
  const below = new Map<PciDevice, number>();
  const raise = (device: PciDevice, bus: number | undefined) => {
    if (bus !== undefined && bus > (below.get(device) ?? -1)) below.set(device, bus);
  };
  // Peel leaves upwards (Kahn's order): each child is done before its parent.
  const children = new Map<PciDevice, number>();
  for (const parent of parentOf.values()) children.set(parent, (children.get(parent) ?? 0) + 1);
  const ready = devices.filter((device) => !children.has(device));
  const done = new Set<PciDevice>();
  for (let index = 0; index < ready.length; index++) {
    const device = ready[index]!;
    done.add(device);
    const parent = parentOf.get(device);
    if (parent === undefined) continue;
    raise(parent, device.bus);
    raise(parent, below.get(device));
    const left = children.get(parent)! - 1;
    children.set(parent, left);
    if (left === 0) ready.push(parent);
  }
  // What is left lies on loops of parents (each device has one parent, so only loops remain).
  for (const start of devices) {
    if (done.has(start)) continue;
    const loop: PciDevice[] = [];
    for (let member: PciDevice | undefined = start; member !== undefined && !done.has(member); member = parentOf.get(member)) {
      done.add(member);
      loop.push(member);
    }
    settleLoop(loop, below);
  }
  return below;
}

/** Every member of a loop gets the highest bus of the others and of all that hangs off the loop. */
function settleLoop(loop: readonly PciDevice[], below: Map<PciDevice, number>): void {
  let hanging = -1;
  // The two highest buses of the members: each member's "others" is the first unless it is that one.
  let first = -1;
  let second = -1;
  let firstAt = -1;
  loop.forEach((member, index) => {
    hanging = Math.max(hanging, below.get(member) ?? -1);
    if (member.bus > first) [second, first, firstAt] = [first, member.bus, index];
    else if (member.bus > second) second = member.bus;
  });
  loop.forEach((member, index) => below.set(member, Math.max(hanging, index === firstAt ? second : first)));
}
