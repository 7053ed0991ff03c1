/**
 * The single timer of a workflow's loop. Re-arming it with the same instant keeps the running timer, so being
 * woken early (a command, an email delivered) does not cancel and restart it — fewer commands and history
 * events per case. Only a new wake-up instant cancels the old timer.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/** One cancellable timer, re-armed only when its instant changes. */
export class WakeTimer {
  #at: number | undefined;
  #fired = false;
  #scope: CancellationScope | undefined;

  /** Arms the timer for `at` (epoch ms; undefined = no timer), keeping it when already armed for `at`. */
  set(at: number | undefined): void {
    if (at === this.#at && !this.#fired) return;
    this.#scope?.cancel();
    this.#scope = undefined;
    this.#at = at;
    this.#fired = false;
    if (at === undefined) return;
    const scope = new CancellationScope();
    this.#scope = scope;
    scope.run(() => sleep(Math.max(1, at - Date.now()))).then(
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
