// Time and date formatting for the UI, shared with the exports so both show the same clock.
export { formatClock, formatDateTime, formatDuration } from '../../src-shared/time.js';
