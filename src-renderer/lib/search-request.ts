// The search panel's filters and the request they make: a date preset turned into a time range, a speaker name, one
// meeting, and the page to fetch.
import type { SearchRequest } from '../../src-shared/types.js';

/** Hits fetched per page ("load more" fetches the next). */
export const SEARCH_PAGE_SIZE = 50;

/** The date ranges offered, counted back from now. */
export const DATE_PRESETS = ['any', 'week', 'month', 'year'] as const;

/** One of the date ranges offered. */
export type DatePreset = (typeof DATE_PRESETS)[number];

const PRESET_DAYS: Record<Exclude<DatePreset, 'any'>, number> = { week: 7, month: 31, year: 366 };

/** What the user chose to narrow a search to. */
export interface SearchFilters {
  date: DatePreset;
  /** A speaker name (as the user named speakers), or '' for any. */
  speaker: string;
  /** One meeting's id, or null for all. */
  meetingId: number | null;
}

/** No filter at all. */
export const NO_FILTERS: SearchFilters = { date: 'any', speaker: '', meetingId: null };

/** True when some filter narrows the search. */
export function hasFilters(filters: SearchFilters): boolean {
  return filters.date !== 'any' || filters.speaker.trim() !== '' || filters.meetingId !== null;
}

/** The request for `limit` hits of `query` under `filters`, from `offset` on; `now` is epoch ms. */
export function searchRequest(
  query: string,
  filters: SearchFilters,
  offset: number,
  now: number,
  limit = SEARCH_PAGE_SIZE,
): SearchRequest {
  const request: SearchRequest = { query: query.trim(), limit, offset };
  if (filters.date !== 'any') request.from = Math.max(0, now - PRESET_DAYS[filters.date] * 86_400_000);
  const speaker = filters.speaker.trim();
  if (speaker !== '') request.speaker = speaker;
  if (filters.meetingId !== null) request.meetingId = filters.meetingId;
  return request;
}
