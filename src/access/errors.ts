import type { AccessRequest } from './request.js';

/** Named errors of the access domain; `teams/access-errors.ts` turns them into short Swedish replies. */
export class AccessError extends Error {}

export class AccessNotFoundError extends AccessError {
  constructor(readonly requestId: string) {
    super(`No access request ${requestId.slice(0, 80)}`);
  }
}

/** The actor may not do this: not the named manager, not staff, not the applicant, other tenant. */
export class AccessNotAllowedError extends AccessError {
  constructor(
    readonly actorId: string,
    readonly reason:
      'not-manager' | 'not-staff' | 'not-applicant' | 'other-tenant' | 'not-personal',
  ) {
    super(`${actorId.slice(0, 80)} may not act: ${reason}`);
  }
}

/** The card acted on shows an older version: nothing is changed, the caller gets the current request. */
export class StaleAccessError extends AccessError {
  constructor(
    readonly requestId: string,
    readonly current?: AccessRequest,
  ) {
    super(`Access request ${requestId} changed since the card was shown`);
  }
}

/** The action does not fit the request's state (approve what support already registered). */
export class AccessTransitionError extends AccessError {
  constructor(
    readonly request: AccessRequest,
    readonly reason: 'not-awaiting-manager' | 'not-at-support' | 'not-needs-info',
  ) {
    super(`Access request ${request.id}: ${reason}`);
  }
}

/** Input the domain refuses: a missing field, a too long text, an unknown choice, a bad date. */
export class AccessInputError extends AccessError {
  constructor(
    readonly field: string,
    readonly problem: 'missing' | 'too-long' | 'unknown' | 'invalid',
    readonly max?: number,
  ) {
    super(`${field}: ${problem}`);
  }
}
