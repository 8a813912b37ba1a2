// The shape of svelte-i18n's `$_` formatter, so that pure helpers word things in the chosen language when a component
// passes `$_` in (and tests pass a formatter over a catalog).

/** Formats the catalog message `id` with ICU values. */
export type Translate = (id: string, options?: { values?: Record<string, string | number> }) => string;
