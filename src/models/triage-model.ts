// The seam between the workflow's triage step and whichever model reads a new request: Gemini or Ollama
// through LangChain, or the offline provider's transparent rules (offline-triage-model.ts).

export interface TriageRequest {
  title: string;
  description: string;
  requestType: string;
  category: string;
  priority: string;
  urgency: string;
  businessJustification: string | null;
}

export interface TriageResult {
  category: string;
  /** Never lower than what the requester chose: triage may only raise it. */
  priority: string;
  /** What the requester must still tell us, in words they understand; empty when nothing is missing. */
  missing: string[];
  /** Whether the request asks for administrator or otherwise privileged rights. */
  privileged: boolean;
  /** Why triage decided as it did, one line per finding. */
  reasons: string[];
}

export interface TriageModel {
  readonly name: string;
  triage(request: TriageRequest): Promise<TriageResult>;
}

export const TRIAGE_MODEL = Symbol('TRIAGE_MODEL');

export const PRIORITY_ORDER = ['low', 'medium', 'high', 'critical'];

export function higherPriority(a: string, b: string): string {
  return PRIORITY_ORDER.indexOf(a) >= PRIORITY_ORDER.indexOf(b) ? a : b;
}

const PRIVILEGED_WORDING = /\b(admin|administrator|administrative|root|sudo|sudoers|privileged|superuser|elevated|domain admin|full access|owner rights)\b/i;

/** Privileged wording is checked by rule whatever a model says: it decides whether approval is needed. */
export function hasPrivilegedWording(text: string): boolean {
  return PRIVILEGED_WORDING.test(text);
}
