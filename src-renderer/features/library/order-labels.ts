// The words of each library order, for the sort menu and the settings.
import type { MeetingOrder } from '../../lib/stores/library.js';

/** The catalog key naming each library order. */
export const ORDER_LABELS: Record<MeetingOrder, string> = {
  date: 'library.orderDate',
  title: 'library.orderTitle',
  length: 'library.orderLength',
};
