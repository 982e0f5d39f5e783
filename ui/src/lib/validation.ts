// The first-run form's rules, apart from the form so they can be tested: a name, and a
// passphrase of at least eight characters typed the same way twice.

export const MIN_PASSPHRASE = 8;

export interface FirstRunInput {
  practitioner: string;
  passphrase: string;
  confirm: string;
}

export interface FirstRunErrors {
  practitioner?: string;
  passphrase?: string;
  confirm?: string;
}

export function validateFirstRun(input: FirstRunInput): FirstRunErrors {
  const errors: FirstRunErrors = {};
  if (input.practitioner.trim() === '') errors.practitioner = 'Enter your name.';
  if ([...input.passphrase].length < MIN_PASSPHRASE) {
    errors.passphrase = `Use at least ${MIN_PASSPHRASE} characters.`;
  }
  if (input.confirm !== input.passphrase) errors.confirm = 'The two passphrases do not match.';
  return errors;
}

export function isValid(errors: FirstRunErrors): boolean {
  return Object.keys(errors).length === 0;
}
