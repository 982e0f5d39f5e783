// What a test can tell the mocked shell before the page loads (all plain JSON, as it crosses
// from Node into the page), and the control object the mock exposes on `window` during a test.
import type { AppError } from '../../src/lib/errors';
import type { SyncSummary } from '../../src/lib/types';

export interface MockConfig {
  /** Whether a store exists yet (false shows first run). Default true. */
  initialised?: boolean;
  /** Whether the store starts unlocked. Default false. */
  unlocked?: boolean;
  /** The passphrase `unlock` accepts. Default "correct horse battery". */
  passphrase?: string;
  /** Commands that always fail, with the error they fail with. */
  fail?: Record<string, AppError>;
  /** Streaming commands that stop half-way until `__DOORSTEP_MOCK__.release(command)`. */
  hold?: string[];
  /** An empty caseload: no people, no notes. */
  empty?: boolean;
  /** Overrides of the sync summary. */
  sync?: Partial<SyncSummary>;
  /** An ecomap picture to send instead of the drawn one (to test cleaning). */
  svg?: string;
  /** How long each command takes, in ms. Default 30. */
  delayMs?: number;
}

export interface MockCall {
  cmd: string;
  args: Record<string, unknown>;
}

export interface MockControl {
  calls: MockCall[];
  fail(command: string, error: AppError | null): void;
  release(command: string): void;
}

export const DEFAULT_PASSPHRASE = 'correct horse battery';
