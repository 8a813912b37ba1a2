// Where the keyboard goes when the control it was on disappears (Start once recording, Stop once stopped).

/** Focuses `element` when nothing has focus (the focused control was removed), never taking focus from another. */
export function focusIfLost(element: HTMLElement | null): void {
  const active = document.activeElement;
  if (element && (active === null || active === document.body)) element.focus();
}
