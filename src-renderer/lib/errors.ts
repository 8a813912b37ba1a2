// Error messages in the interface language, worded from the error's code and parameters: the catalog's text for the
// variant the parameters name (errors.<CODE>/<reason>, filled with them), else the code's general text
// (errors.<CODE>). The main process's English message is shown for a code the catalog does not know, and in English
// in place of the general text (it is already English and names what went wrong, e.g. a schema rule's sentence).
import { derived, get, type Readable } from 'svelte/store';
import { _, locale } from 'svelte-i18n';
import {
  ERROR_VARIANTS,
  errorParamsOf,
  isErrorCode,
  type ErrorParams,
} from '../../src-shared/error-codes.js';
import { ApiError } from '../../src-shared/contract.js';

/** An error as the renderer meets it: ErrorInfo data, an ApiError, or anything else thrown. */
interface CodedError {
  code?: unknown;
  message?: unknown;
  params?: unknown;
}

/** The catalog id of the variant `params` name, when they carry every value its text uses; else null. */
function variantId(code: string, params: ErrorParams | undefined): string | null {
  const reason = params?.reason;
  if (!params || typeof reason !== 'string' || !isErrorCode(code)) return null;
  const variants: Readonly<Record<string, readonly string[]>> = ERROR_VARIANTS[code];
  const names = Object.hasOwn(variants, reason) ? variants[reason] : undefined;
  return names?.every((name) => name in params) ? `errors.${code}/${reason}` : null;
}

/** The text to show people for an error, in the interface language. */
export function errorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const coded = error as CodedError;
  const message = typeof coded.message === 'string' ? coded.message : String(error);
  if (typeof coded.code !== 'string') return message;
  const params = errorParamsOf(coded.params);
  const translate = get(_);
  const variant = variantId(coded.code, params);
  const inEnglish = get(locale)?.startsWith('en') === true;
  for (const id of inEnglish && message ? [variant] : [variant, `errors.${coded.code}`]) {
    if (id === null) continue;
    const text = translate(id, { values: params ?? {}, default: '' });
    if (text !== '' && text !== id) return text;
  }
  return message;
}

/**
 * An error as a headline in the interface language and, below it, the lines after the first of its English message
 * (Docker's or the engine's own output, shown as it came), so a Chinese headline keeps the details.
 */
export function errorLines(error: unknown): { headline: string; details: string[] } {
  const [headline = ''] = errorText(error).split('\n');
  const message = typeof error === 'object' && error !== null ? (error as CodedError).message : undefined;
  return { headline, details: typeof message === 'string' ? message.split('\n').slice(1) : [] };
}

/** errorLines as a store, worded again when the interface language changes. */
export const errorLinesWording: Readable<typeof errorLines> = derived(locale, () => errorLines);

/** errorText as a store: a shown error is worded again when the interface language changes. */
export const errorWording: Readable<(error: unknown) => string> = derived(locale, () => errorText);

export { ApiError };
