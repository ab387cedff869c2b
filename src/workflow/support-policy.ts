// The policy: deterministic rules, in order, that decide what happens to a request after the plan. The
// first rule that applies wins. Models inform the facts (triage, plan confidence) but cannot skip a rule.
import type { Outcome, PolicyDecision } from './workflow.types';

/** A plan at least this confident, with at least one citation, may resolve a ticket without a person. */
export const CONFIDENT_ANSWER = 0.5;

export interface PolicyFacts {
  requestType: string;
  priority: string;
  privileged: boolean;
  missing: string[];
  /** How many times the requester has already answered a question. */
  answers: number;
  confidence: number;
  citations: number;
}

interface PolicyRule {
  id: string;
  outcome: Outcome;
  description: string;
  applies(facts: PolicyFacts): boolean;
}

export const POLICY: readonly PolicyRule[] = [
  {
    id: 'missing_information',
    outcome: 'ask_user',
    description: 'Triage found information missing and the requester has not been asked yet',
    applies: (facts) => facts.missing.length > 0 && facts.answers === 0,
  },
  {
    id: 'software_access',
    outcome: 'approval',
    description: 'Software access requests need the approval of support or an admin',
    applies: (facts) => facts.requestType === 'software_access',
  },
  {
    id: 'privileged_account_access',
    outcome: 'approval',
    description: 'Account access with administrator or privileged rights needs approval',
    applies: (facts) => facts.requestType === 'account_access' && facts.privileged,
  },
  {
    id: 'critical_priority',
    outcome: 'approval',
    description: 'A critical-priority plan needs approval before it is carried out',
    applies: (facts) => facts.priority === 'critical',
  },
  {
    id: 'confident_answer',
    outcome: 'resolve',
    description: `The knowledge base answers the request (confidence ≥ ${CONFIDENT_ANSWER}, with citations)`,
    applies: (facts) => facts.confidence >= CONFIDENT_ANSWER && facts.citations > 0,
  },
  {
    id: 'low_confidence',
    outcome: 'escalate',
    description: 'Nothing above applies and the knowledge base does not answer it well enough: people take over',
    applies: () => true,
  },
];

export function decide(facts: PolicyFacts): PolicyDecision {
  const rule = POLICY.find((candidate) => candidate.applies(facts))!;
  return { outcome: rule.outcome, rule: rule.id, description: rule.description };
}
