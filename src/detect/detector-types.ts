import type { DetectorType } from './types.js';

/**
 * Every type a detector looks for, in the order detect() runs them (DENY is not one: it comes
 * from the caller). A module of its own, without the detectors, so that reading a data map
 * (which checks the types a `redact` strategy names) and `lethe detect --help` do not load the
 * detectors and libphonenumber's metadata.
 */
const LISTED = [
  'EMAIL',
  'URL',
  'PHONE',
  'IBAN',
  'CREDIT_CARD',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'DATE_OF_BIRTH',
  'UK_NINO',
  'ES_DNI',
  'FR_NIR',
  'IT_CF',
  'NL_BSN',
  'US_SSN',
  'PERSON',
  'STREET_ADDRESS',
] as const satisfies readonly DetectorType[];

export const detectorTypes: readonly DetectorType[] = LISTED;

// A type added to DetectorType but not listed here fails to compile.
const everyTypeListed: Exclude<DetectorType, (typeof LISTED)[number]> extends never ? true : never = true;
void everyTypeListed;
