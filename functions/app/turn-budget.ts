// A workflow step's work is cut into turns that end well inside the function's timeout (30 s on
// AWS): once a turn has run this long, the next e-mail is not started; the step ends early and the
// workflow comes straight back for the rest. Every send is recorded by key (sendOnce), so the next
// turn goes on exactly where this one stopped, and a case with hundreds of vendors never outlasts
// its function.

/** Real time a turn may spend before it stops at the next e-mail. */
export const TURN_BUDGET_MS = 12_000;

/** Thrown at the next e-mail once the turn's time is spent: the step is retried at once (lib/case-workflow.ts WORK_REMAINS_RETRY). */
export class WorkRemains extends Error {
  override readonly name = 'WorkRemains';
  constructor() {
    super('this turn has used its time; the rest of its mail goes out in the next turn');
  }
}

export interface TurnBudget {
  /** Throws WorkRemains when the turn's time is spent. */
  check(): void;
}

/** A fresh budget for one turn, counted in real time (never the case clock, which tests and the local runtime move). */
export const turnBudget = (ms: number = TURN_BUDGET_MS, clock: () => number = Date.now): TurnBudget => {
  const end = clock() + ms;
  return {
    check() {
      if (clock() > end) throw new WorkRemains();
    },
  };
};
