// The one-line sync summary shown on Today and the Sync screen: whether it is safe to close
// the app, and what is still waiting, in words.
import { plural } from './format';
import type { SyncSummary } from './types';

export interface SyncLine {
  safe: boolean;
  text: string;
}

export function syncLine(sync: SyncSummary): SyncLine {
  const waiting = sync.queued + sync.unqueued;
  if (!sync.configured) {
    return {
      safe: sync.safeToClose,
      text:
        waiting > 0
          ? `${plural(waiting, 'record')} kept on this device. Sync is not set up.`
          : 'Sync is not set up. Records stay on this device.',
    };
  }
  if (waiting > 0) return { safe: sync.safeToClose, text: `${waiting} waiting to sync` };
  if (sync.safeToClose) return { safe: true, text: 'Safe to close' };
  return { safe: false, text: 'Not safe to close yet' };
}
