/** Page entry: start with the inputs `acpi-iommu view` embedded, if any. */
import { inputsFromPayload, type EmbeddedPayload } from './model/inputs.js';
import { startApp } from './ui/app.js';

/** `acpi-iommu view` replaces this element's `null` with an EmbeddedPayload. */
export const PAYLOAD_ELEMENT_ID = 'acpi-iommu-inputs';

const text = document.getElementById(PAYLOAD_ELEMENT_ID)?.textContent ?? 'null';
const payload = JSON.parse(text) as EmbeddedPayload | null;
startApp(document.getElementById('app')!, payload === null ? { tables: [], notes: [] } : await inputsFromPayload(payload));
