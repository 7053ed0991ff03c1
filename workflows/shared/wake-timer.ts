/**
 * The single timer of a workflow's loop. Re-arming it with the same instant keeps the running timer, so being
 * woken early (a command, an email delivered) does not cancel and restart it — fewer commands and history
 * events per case. A new wake-up instant cancels the old timer, unless the old one is due within a minute: that
 * one is left to fire, unheeded. It may already have fired on the server while this workflow task runs (two
 * wake-ups at 09:00, say), and cancelling a fired timer is refused by Temporal's time-skipping test server, which
 * then never hands the workflow another task.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/** A timer due sooner than this is not cancelled when the wake-up instant changes. */
const LEFT_TO_FIRE_MS = 60_000;

/** One cancellable timer, re-armed only when its instant changes. */
export class WakeTimer {
  #at: number | undefined;
  #fired = false;
  #scope: CancellationScope | undefined;

  /** Arms the timer for `at` (epoch ms; undefined = no timer), keeping it when already armed for `at`. */
  set(at: number | undefined): void {
    if (at === this.#at && !this.#fired) return;
    if (
      this.#scope !== undefined &&
      !this.#fired &&
      this.#at !== undefined &&
      this.#at - Date.now() > LEFT_TO_FIRE_MS
    ) {
      this.#scope.cancel();
    }
    this.#scope = undefined;
    this.#at = at;
    this.#fired = false;
    if (at === undefined) return;
    const scope = new CancellationScope();
    this.#scope = scope;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (this.#scope === scope) this.#fired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** True once the armed instant has been reached. */
  get fired(): boolean {
    return this.#fired;
  }
}
