// Why a decision on an approval request is refused, as domain errors (see DomainError).
import { DomainError } from '../common/domain-error';

/** The request was settled first — by another approver, or by its expiry. */
export class ApprovalSettledError extends DomainError {
  readonly code = 'approval_settled';
}

/** The plan the decision was for is not the request's current plan. */
export class PlanChangedError extends DomainError {
  readonly code = 'plan_changed';
}
