/**
 * Named errors of the visibility module. The test server maps every one of them to gRPC
 * INVALID_ARGUMENT with the error's message, as Temporal's frontend does.
 */

/** Base class of every error this module throws for bad client input. */
export class VisibilityInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A List Filter (visibility query) that cannot be compiled: syntax error, unknown attribute, literal of
 * the wrong type, operator not supported for the attribute's type... The message starts with
 * "invalid query:" like Temporal's and names the offending token or attribute and the rule broken.
 */
export class InvalidVisibilityQueryError extends VisibilityInputError {
  /** Character offset in the query where the problem was found, when known. */
  readonly position: number | undefined;

  constructor(detail: string, position?: number) {
    super(`invalid query: ${detail}${position === undefined ? '' : ` (at position ${position})`}`);
    this.position = position;
  }
}

/** A search attribute value sent by a client names an attribute that is not registered. */
export class UnknownSearchAttributeError extends VisibilityInputError {
  constructor(readonly attribute: string) {
    super(
      `search attribute ${attribute} is not defined: register it first (OperatorService.AddSearchAttributes / ` +
        `"temporal operator search-attribute create")`,
    );
  }
}

/** A search attribute value that does not fit the attribute's registered type, or that clients may not set. */
export class InvalidSearchAttributeValueError extends VisibilityInputError {
  constructor(
    readonly attribute: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Registering or removing a search attribute broke a rule (reserved name, type conflict, unknown type...). */
export class SearchAttributeRegistrationError extends VisibilityInputError {
  constructor(
    readonly attribute: string,
    detail: string,
  ) {
    super(detail);
  }
}
