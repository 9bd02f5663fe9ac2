// Expected failures carry an HTTP status and a message a person can act on.

export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message, 400);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`That ${what} does not exist.`, 404);
  }
}

export class ForbiddenError extends DomainError {
  constructor(action: string) {
    super(`You are not allowed to ${action}.`, 403);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}
