// The shapes the Rust shell sends and accepts. They are generated from the Rust types into
// ./bindings/ (never edit those: see crates/doorstep-app/tests/bindings.rs, which regenerates them
// and fails CI when they drift); this file only gives them the names docs/app-ipc.md and the
// screens use.

export type * from './bindings';

export type {
  // Unlock.
  AppStateView as AppStateReply,
  // Today, the caseload and notes.
  Today as TodayReply,
  SegmentView as Segment,
  EvidenceView as Evidence,
  TieView as Tie,
  // Record.
  Started as RecordingStarted,
  Stopped as RecordingStopped,
  // Review: `set_own_words` takes spans of the same shape as `Span`.
  Decision as ThemeDecision,
  // Person: `person` replies with a `PersonDetail`, whose `person` is a `PersonView`.
  PersonDetail as PersonReply,
  ThemeCount as PersonThemeCount,
  VersionView as EcomapVersion,
  DiffView as EcomapDiff,
  ChronologyView as ChronologyEntry,
  // Search.
  ThemeView as ThemeInfo,
  HitView as Hit,
  SearchView as SearchReply,
} from './bindings';
