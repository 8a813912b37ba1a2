// The events the application service sends to whoever listens: the renderer over IPC, the browser test bridge, a test.
import type { ApiEventMap, ApiEventName } from '../../src-shared/contract.js';

/** Sends one event to whoever listens (the renderer, a test). */
export type EmitEvent = <E extends ApiEventName>(event: E, payload: ApiEventMap[E]) => void;
