// The statement budgets' shared check (statement-budget*.e2e-spec.ts).

/** The statements if they fit the budget; else the first `budget` of them and the count, so that a failure shows what was sent. */
export function withinBudget(sent: string[], budget: number): string[] {
  return sent.length <= budget ? sent : [...sent.slice(0, budget), `… ${sent.length} in all`];
}
