// The shapes the Rust shell sends and accepts, exactly as docs/app-ipc.md writes them.

export type NoteSource = 'typed' | 'voice' | 'imported';
export type NoteStatus = 'draft' | 'approved';
export type ThemeKind = 'risk' | 'need' | 'strength';
export type Review = 'proposed' | 'confirmed' | 'rejected';
export type Category =
  | 'family'
  | 'friend'
  | 'neighbour'
  | 'community'
  | 'education'
  | 'health'
  | 'social_care'
  | 'other_service'
  | 'work'
  | 'pet';
export type Quality = 'strong' | 'moderate' | 'tenuous' | 'stressful' | 'broken';
export type Support = 'to_subject' | 'from_subject' | 'both' | 'none';

/** Character offsets (Unicode scalar values, as Rust counts them) in the note text. */
export interface Span {
  start: number;
  end: number;
}
export interface Evidence {
  start: number;
  end: number;
  text: string;
}

export interface AppStateReply {
  initialised: boolean;
  unlocked: boolean;
  practitioner: string | null;
}

export interface PersonSummary {
  id: string;
  name: string;
  aliases: string[];
  household: string | null;
  notes: number;
  lastNote: string | null;
}

export interface NoteSummary {
  id: string;
  externalId: string | null;
  subjectId: string;
  subject: string;
  date: string | null;
  source: NoteSource;
  status: NoteStatus;
  preview: string;
  themes: string[];
  hasAudio: boolean;
}

export interface Segment {
  index: number;
  startMs: number;
  endMs: number;
  text: string;
  span: Span;
  confidence: number;
  lowConfidence: boolean;
}

export interface ThemeChip {
  id: string;
  label: string;
  kind: ThemeKind;
  confidence: number;
  review: Review;
  evidence: Evidence[];
}

export interface Tie {
  id: string | null;
  who: string;
  role: string | null;
  category: Category;
  quality: Quality;
  support: Support;
  note: string | null;
  evidence: Evidence | null;
}

export interface NoteDetail extends Omit<NoteSummary, 'themes'> {
  text: string;
  ownWords: Span[];
  segments: Segment[];
  themes: ThemeChip[];
  ecomap: Tie[];
  audioMs: number | null;
}

export interface SyncSummary {
  configured: boolean;
  server: string | null;
  queued: number;
  unqueued: number;
  lastSuccess: string | null;
  lastError: string | null;
  safeToClose: boolean;
}

export type Retention = 'delete_on_approve' | 'keep_30_days' | 'keep';

export interface Settings {
  retention: Retention;
  model: string;
  lockAfterMinutes: number;
}

export interface ModelInfo {
  name: string;
  description: string;
  sizeBytes: number;
  installed: boolean;
  active: boolean;
}

export interface TodayReply {
  practitioner: string | null;
  drafts: NoteSummary[];
  recent: NoteSummary[];
  people: PersonSummary[];
  sync: SyncSummary;
}

export interface PersonDetail extends PersonSummary {
  dob: string | null;
}

export interface PersonThemeCount {
  id: string;
  label: string;
  count: number;
}

export interface PersonReply {
  person: PersonDetail;
  notes: NoteSummary[];
  themes: PersonThemeCount[];
}

export interface EcomapVersion {
  version: number;
  confirmedAt: string;
  ties: number;
}

export interface EcomapView {
  personId: string;
  person: string;
  svg: string;
  description: string;
  ties: Tie[];
  proposed: Tie[];
  strengths: string[];
  matters: string[];
  versions: EcomapVersion[];
}

export interface EcomapDiff {
  added: Tie[];
  changed: { who: string; changes: string[] }[];
  removed: Tie[];
  text: string;
}

/** As amended in the contract's "Added by the shell": `startMs` and `confirmed`, no `segment`. */
export interface ChronologyEntry {
  noteId: string;
  date: string | null;
  theme: string;
  label: string;
  text: string;
  start: number;
  end: number;
  /** Where the evidence is in the note's audio, for a voice note. */
  startMs: number | null;
  confirmed: boolean;
}

export interface ThemeInfo {
  id: string;
  label: string;
  kind: ThemeKind;
  parent: string | null;
}

export interface Hit {
  noteId: string;
  externalId: string | null;
  subject: string;
  subjectId: string;
  date: string | null;
  score: number;
  snippet: string;
  /** Character ranges within `snippet` to mark. */
  highlights: [number, number][];
  themes: string[];
  segment: { index: number; startMs: number; endMs: number } | null;
}

export interface SearchReply {
  hits: Hit[];
  tookMs: number;
}

export interface RecordingStarted {
  recordingId: string;
}
export interface RecordingStopped {
  recordingId: string;
  audioMs: number;
}

export type RecordEvent =
  | { event: 'level'; data: { rms: number; peak: number; elapsedMs: number } }
  | { event: 'paused'; data: null }
  | { event: 'resumed'; data: null }
  | { event: 'stopped'; data: RecordingStopped }
  | { event: 'error'; data: { kind: string; message: string } };

/** The shell sends only `progress` for now; `segment` is in the contract and shown if it comes. */
export type TranscribeEvent =
  | { event: 'progress'; data: { doneMs: number; totalMs: number | null } }
  | { event: 'segment'; data: { startMs: number; endMs: number; text: string } };

export type SyncEvent =
  | { event: 'pushed'; data: { count: number; remaining: number } }
  | { event: 'pulled'; data: { count: number } }
  | { event: 'retrying'; data: { inMs: number; reason: string } };

export type DownloadEvent =
  | { event: 'progress'; data: { done: number; total: number | null } }
  | { event: 'verifying'; data: null };

export type ThemeDecision = 'confirm' | 'reject';
