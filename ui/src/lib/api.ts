// The one way the UI talks to the Rust shell: a typed function per command of docs/app-ipc.md,
// with the contract's names, arguments and replies. Every rejection becomes an AppError.
import { Channel, invoke } from '@tauri-apps/api/core';

import { toAppError, type AppError } from './errors';
import type {
  AppStateReply,
  ChronologyEntry,
  DownloadEvent,
  EcomapDiff,
  EcomapView,
  ModelInfo,
  NoteDetail,
  PersonReply,
  PersonSummary,
  RecordEvent,
  RecordingStarted,
  RecordingStopped,
  SearchReply,
  Settings,
  SpanArg,
  SyncEvent,
  SyncSummary,
  ThemeDecision,
  ThemeInfo,
  TodayReply,
  TranscribeEvent,
} from './types';

export * from './types';
export { toAppError, isAppError, ERROR_KINDS } from './errors';
export type { AppError, ErrorKind } from './errors';

type LockedListener = (error: AppError) => void;
let lockedListener: LockedListener | null = null;

/** Called whenever any command fails because the store is locked (after auto-lock, say). */
export function onLocked(listener: LockedListener | null): void {
  lockedListener = listener;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = toAppError(reason);
    if (error.kind === 'locked') lockedListener?.(error);
    throw error;
  }
}

function channel<E>(onEvent: (event: E) => void): Channel<E> {
  return new Channel<E>(onEvent);
}

export const appState = () => call<AppStateReply>('app_state');
export const createStore = (practitioner: string, passphrase: string) =>
  call<AppStateReply>('create_store', { practitioner, passphrase });
export const unlock = (passphrase: string) => call<AppStateReply>('unlock', { passphrase });
export const lock = () => call<AppStateReply>('lock');

export const today = () => call<TodayReply>('today');
export const people = () => call<PersonSummary[]>('people');
export const addPerson = (name: string, aliases: string[], household: string | null) =>
  call<PersonSummary>('add_person', { name, aliases, household });

export const startRecording = (subject: string | null, onEvent: (event: RecordEvent) => void) =>
  call<RecordingStarted>('start_recording', { subject, onEvent: channel(onEvent) });
export const pauseRecording = () => call<null>('pause_recording');
export const resumeRecording = () => call<null>('resume_recording');
export const stopRecording = () => call<RecordingStopped>('stop_recording');
export const transcribeRecording = (
  recordingId: string,
  subject: string,
  onEvent: (event: TranscribeEvent) => void,
) =>
  call<NoteDetail>('transcribe_recording', { recordingId, subject, onEvent: channel(onEvent) });
export const ingestFile = (
  path: string,
  subject: string,
  onEvent: (event: TranscribeEvent) => void,
) => call<NoteDetail>('ingest_file', { path, subject, onEvent: channel(onEvent) });
export const addNote = (subject: string, text: string, date: string | null) =>
  call<NoteDetail>('add_note', { subject, text, date });

export const note = (id: string) => call<NoteDetail>('note', { id });
export const editNote = (id: string, text: string) => call<NoteDetail>('edit_note', { id, text });
export const setOwnWords = (id: string, spans: SpanArg[]) =>
  call<NoteDetail>('set_own_words', { id, spans });
export const reviewTheme = (noteId: string, theme: string, decision: ThemeDecision) =>
  call<NoteDetail>('review_theme', { noteId, theme, decision });
export const approveNote = (id: string, ties: string[]) =>
  call<NoteDetail>('approve_note', { id, ties });
export const segmentAudio = (noteId: string, index: number) =>
  call<string>('segment_audio', { noteId, index });

export const person = (id: string) => call<PersonReply>('person', { id });
export const ecomap = (personId: string) => call<EcomapView>('ecomap', { personId });
export const confirmEcomap = (personId: string, reject: string[]) =>
  call<EcomapView>('confirm_ecomap', { personId, reject });
export const ecomapDiff = (personId: string, from: number, to: number) =>
  call<EcomapDiff>('ecomap_diff', { personId, from, to });
export const chronology = (personId: string, theme: string | null) =>
  call<ChronologyEntry[]>('chronology', { personId, theme });
export const themes = () => call<ThemeInfo[]>('themes');
export const search = (query: string, limit: number) =>
  call<SearchReply>('search', { query, limit });

export const syncStatus = () => call<SyncSummary>('sync_status');
export const syncNow = (server: string | null, onEvent: (event: SyncEvent) => void) =>
  call<SyncSummary>('sync_now', { server, onEvent: channel(onEvent) });

export const settings = () => call<Settings>('settings');
export const saveSettings = (value: Settings) => call<Settings>('save_settings', { settings: value });
export const models = () => call<ModelInfo[]>('models');
export const downloadModel = (name: string, onEvent: (event: DownloadEvent) => void) =>
  call<ModelInfo[]>('download_model', { name, onEvent: channel(onEvent) });
export const importModel = (path: string) => call<ModelInfo[]>('import_model', { path });
