/** The error a call throws or a promise rejects with, checked to be of the expected class. */
import { expect } from 'vitest';

/** A class of errors, as `toBeInstanceOf` takes it. */
export type ErrorClass<E> = abstract new (...args: never[]) => E;

/** Thrown by {@link thrownBy} and {@link rejectionOf} when the call they watch succeeds. */
export class NothingThrownError extends Error {
  constructor(expected: string) {
    super(`expected a ${expected}, but nothing was thrown`);
    this.name = 'NothingThrownError';
  }
}

/** The error `fn` throws; the test fails when `fn` returns, or throws anything but a `type`. */
export function thrownBy<E>(type: ErrorClass<E>, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new NothingThrownError(type.name);
}

/** The error `promise` rejects with; the test fails when it resolves, or rejects with anything but a `type`. */
export async function rejectionOf<E>(type: ErrorClass<E>, promise: Promise<unknown>): Promise<E> {
  let rejection: { error: unknown } | undefined;
  try {
    await promise;
  } catch (error) {
    rejection = { error };
  }
  if (!rejection) throw new NothingThrownError(type.name);
  expect(rejection.error).toBeInstanceOf(type);
  return rejection.error as E;
}
