// The words the UI uses for the contract's codes, in one place so every screen says the same.
import type {
  Category,
  NoteSource,
  NoteStatus,
  Quality,
  Retention,
  Review,
  Support,
  ThemeKind,
  Tie,
} from './types';

export const CATEGORY_LABEL: Record<Category, string> = {
  family: 'Family',
  friend: 'Friend',
  neighbour: 'Neighbour',
  community: 'Community',
  education: 'Education',
  health: 'Health',
  social_care: 'Social care',
  other_service: 'Other service',
  work: 'Work',
  pet: 'Pet',
};

export const QUALITY_LABEL: Record<Quality, string> = {
  strong: 'Strong tie',
  moderate: 'Moderate tie',
  tenuous: 'Tenuous tie',
  stressful: 'Stressful tie',
  broken: 'Broken tie',
};

export const KIND_LABEL: Record<ThemeKind, string> = {
  risk: 'Risk',
  need: 'Need',
  strength: 'Strength',
};

export const REVIEW_LABEL: Record<Review, string> = {
  proposed: 'Suggested',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
};

export const SOURCE_LABEL: Record<NoteSource, string> = {
  typed: 'Typed',
  voice: 'Voice',
  imported: 'Imported audio',
};

export const STATUS_LABEL: Record<NoteStatus, string> = {
  draft: 'Draft',
  approved: 'Approved',
};

export const RETENTION_LABEL: Record<Retention, string> = {
  delete_on_approve: 'Delete the audio when I approve the note',
  keep_30_days: 'Keep the audio for 30 days after approval',
  keep: 'Keep the audio',
};

/** Which way support flows, said from the subject's side. */
export function supportLabel(support: Support, subject: string): string {
  switch (support) {
    case 'to_subject':
      return `Supports ${subject}`;
    case 'from_subject':
      return `${subject} supports them`;
    case 'both':
      return 'Support flows both ways';
    case 'none':
      return 'No support noted';
  }
}

/** "Daughter Karen (daughter)" or just "Karen". */
export function tieName(tie: Pick<Tie, 'who' | 'role'>): string {
  return tie.role && tie.role.toLowerCase() !== tie.who.toLowerCase()
    ? `${tie.who} (${tie.role})`
    : tie.who;
}

/** A theme's label from `names` (id → label), else its id made readable. */
export function themeName(theme: string, names: Record<string, string> = {}): string {
  const known = names[theme];
  if (known) return known;
  if (!/^[a-z0-9_]+$/.test(theme)) return theme;
  const words = theme.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
