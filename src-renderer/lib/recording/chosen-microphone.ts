// The microphone a recording opens: the one remembered in the settings when it is there (found by its id, or by its
// label when it came back under a new id), else the system's default input, without an error.
import type { RecordMicrophone } from '../../../src-shared/schemas/settings.js';
import { openInputs, type InputOptions, type Inputs } from './capture.js';

/** An audio input as the browser lists it. */
export interface AudioInput {
  deviceId: string;
  label: string;
}

/** The audio inputs the browser lists now (ids and labels are blank until access to the microphone was given). */
export async function audioInputs(): Promise<AudioInput[]> {
  const all = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
  return all
    .filter((device) => device.kind === 'audioinput')
    .map(({ deviceId, label }) => ({ deviceId, label }));
}

/**
 * The deviceId to open for `chosen` among `inputs`: the input with its id, else the one with its label, else null (the
 * default input). While the list names no input (no access yet), the remembered id is the best guess.
 */
export function microphoneToOpen(
  chosen: RecordMicrophone | null,
  inputs: readonly AudioInput[],
): string | null {
  if (chosen === null) return null;
  if (inputs.every((input) => input.deviceId === '')) return chosen.deviceId;
  const byId = inputs.find((input) => input.deviceId === chosen.deviceId);
  const byLabel = chosen.label === '' ? undefined : inputs.find((input) => input.label === chosen.label);
  return (byId ?? byLabel)?.deviceId ?? null;
}

/** True for the browser's answer to a device that is not there. */
function isMissingDevice(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === 'OverconstrainedError' || error.name === 'NotFoundError')
  );
}

/** Opens the inputs with the chosen microphone, or with the default input when the chosen one is not there. */
export async function openChosenInputs(
  chosen: RecordMicrophone | null,
  options: Omit<InputOptions, 'deviceId'>,
): Promise<Inputs> {
  const deviceId = microphoneToOpen(chosen, await audioInputs());
  try {
    return await openInputs({ ...options, deviceId });
  } catch (error) {
    if (deviceId === null || !isMissingDevice(error)) throw error;
    return openInputs({ ...options, deviceId: null });
  }
}
