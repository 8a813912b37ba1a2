// The player's keyboard shortcuts, as in video players: space, ←/→ for 5 s, J/K/L for back 10 s, pause and forward
// 10 s (L again plays faster), and ? for the list; and R, anywhere in the window, for the record screen. They never
// act while the user types or works in a menu or dialog.

/** What a shortcut asks of the player. */
export type PlayerAction = 'toggle' | 'back5' | 'forward5' | 'back10' | 'pause' | 'forward10' | 'help';

/** What a shortcut of the list asks for: a player action, or the record screen. */
export type ShortcutAction = PlayerAction | 'record';

/** The shortcuts, in the order the list shows them, with the keys shown for each (`keys` are catalog ids). */
export const SHORTCUTS: readonly { action: ShortcutAction; keys: readonly string[] }[] = [
  { action: 'toggle', keys: ['space'] },
  { action: 'back5', keys: ['left'] },
  { action: 'forward5', keys: ['right'] },
  { action: 'back10', keys: ['J'] },
  { action: 'pause', keys: ['K'] },
  { action: 'forward10', keys: ['L'] },
  { action: 'record', keys: ['R'] },
  { action: 'help', keys: ['?'] },
];

const ACTIONS: Record<string, PlayerAction> = {
  ' ': 'toggle',
  ArrowLeft: 'back5',
  ArrowRight: 'forward5',
  j: 'back10',
  J: 'back10',
  k: 'pause',
  K: 'pause',
  l: 'forward10',
  L: 'forward10',
  '?': 'help',
};

/** Where typing happens: text fields, selects and editable text (a range slider or a checkbox is no typing). */
const TYPING = 'textarea, select, [contenteditable]:not([contenteditable="false"])';
const NOT_TYPED_INPUTS = new Set([
  'button',
  'checkbox',
  'radio',
  'range',
  'submit',
  'reset',
  'file',
  'color',
]);
/** Popups that own their keys: dialogs, menus and the list of a select. */
const POPUPS = '[role="dialog"], [role="alertdialog"], [role="menu"], [data-select-content]';
/** Controls that a space press activates, so space is theirs. */
const PRESSABLE =
  'button, a[href], summary, [role="button"], [role="checkbox"], [role="switch"], [role="radio"]';

/** True when `target` is a field the user types in. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TYPED_INPUTS.has(target.type);
  return target.closest(TYPING) !== null;
}

/** True for a plain key press (no modifier) outside text fields and popups, which a shortcut may take. */
function isFreeKeyPress(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target instanceof Element ? event.target : null;
  return !isTypingTarget(target) && !target?.closest(POPUPS);
}

/** The player action a key press asks for, or null when the press is someone else's. */
export function playerActionFor(event: KeyboardEvent): PlayerAction | null {
  const action = ACTIONS[event.key];
  if (!action || !isFreeKeyPress(event)) return null;
  const target = event.target instanceof Element ? event.target : null;
  if (action === 'toggle' && target?.closest(PRESSABLE)) return null;
  return action;
}

/** True when a key press asks for the record screen (R, wherever no one types). */
export function isRecordShortcut(event: KeyboardEvent): boolean {
  return (event.key === 'r' || event.key === 'R') && isFreeKeyPress(event);
}

/** The speeds L steps through while it is pressed again during playback. */
const FAST_FORWARD_RATES = [1, 1.5, 2] as const;

/** The speed after one more L press: the next faster step, at most 2×. */
export function fasterRate(rate: number): number {
  return FAST_FORWARD_RATES.find((step) => step > rate) ?? 2;
}
