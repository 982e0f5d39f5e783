// A recording that stopped but is not yet a note (transcription failed, or no subject chosen):
// kept while the app is open so the practitioner can come back to it from Record.
import type { RecordingStopped } from './types';

export const pending = $state<{ recording: (RecordingStopped & { subject: string | null }) | null }>({
  recording: null,
});
