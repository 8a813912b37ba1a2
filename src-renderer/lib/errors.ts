// Error messages in the interface language: the catalog's text for the error's code (errors.<CODE>), filled with the
// error's parameters when it carries any and with {detail}, the main process's own message. That message is already
// specific English (it names the file or the address), so the English catalog shows it as it is and the Chinese one
// puts a summary before it; a code the catalog lacks shows the message alone.
import { get } from 'svelte/store';
import { _ } from 'svelte-i18n';
import { ApiError } from '../../src-shared/contract.js';

/** An error as the renderer meets it: ErrorInfo data, an ApiError, or anything else thrown. */
interface CodedError {
  code?: unknown;
  message?: unknown;
  params?: unknown;
}

type Params = Record<string, string | number | boolean | Date | null | undefined>;

function paramsOf(error: CodedError): Params | undefined {
  const { params } = error;
  return typeof params === 'object' && params !== null ? (params as Params) : undefined;
}

/** The text to show people for an error, in the interface language. */
export function errorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const coded = error as CodedError;
  const message = typeof coded.message === 'string' ? coded.message : String(error);
  if (typeof coded.code !== 'string') return message;
  const id = `errors.${coded.code}`;
  const translate = get(_);
  const text = translate(id, { values: { detail: message, ...paramsOf(coded) }, default: '' });
  return text === '' || text === id ? message : text;
}

export { ApiError };
