// Whether the bottom navigation shows: hidden while a recording or transcription is under way,
// so the practitioner cannot wander off mid-recording by accident.
export const chrome = $state({ navHidden: false });
