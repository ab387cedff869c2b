import { CONFIDENT_ANSWER, decide, POLICY, PolicyFacts } from './support-policy';

/** A hardware request nothing special applies to, that the knowledge base does not answer. */
const facts = (fields: Partial<PolicyFacts> = {}): PolicyFacts => ({
  requestType: 'hardware', priority: 'medium', privileged: false, missing: [], answers: 0, confidence: 0.2, citations: 0, ...fields,
});
const confident = { confidence: 0.9, citations: 2 };
const missing = { missing: ['a fuller description'] };
const described = (id: string) => POLICY.find((rule) => rule.id === id)!.description;

describe('the support policy', () => {
  it.each<[string, Partial<PolicyFacts>, string]>([
    ['missing_information', missing, 'ask_user'],
    ['software_access', { requestType: 'software_access' }, 'approval'],
    ['privileged_account_access', { requestType: 'account_access', privileged: true }, 'approval'],
    ['critical_priority', { priority: 'critical' }, 'approval'],
    ['confident_answer', confident, 'resolve'],
    ['low_confidence', {}, 'escalate'],
  ])('fires %s on its facts', (rule, fields, outcome) => {
    expect(decide(facts(fields))).toEqual({ outcome, rule, description: described(rule) });
  });

  describe('order of precedence', () => {
    it('asks for missing information before any approval', () => {
      const decision = decide(facts({ ...missing, requestType: 'software_access', priority: 'critical', privileged: true, ...confident }));
      expect(decision).toMatchObject({ outcome: 'ask_user', rule: 'missing_information' });
    });

    it('asks only once: after an answer, information still missing no longer stops the other rules', () => {
      expect(decide(facts({ ...missing, answers: 1, requestType: 'software_access' }))).toMatchObject({ outcome: 'approval', rule: 'software_access' });
      expect(decide(facts({ ...missing, answers: 1, ...confident }))).toMatchObject({ outcome: 'resolve', rule: 'confident_answer' });
      expect(decide(facts({ ...missing, answers: 2 }))).toMatchObject({ outcome: 'escalate', rule: 'low_confidence' });
    });

    it('needs approval for software access even when the knowledge base answers it confidently', () => {
      expect(decide(facts({ requestType: 'software_access', ...confident }))).toMatchObject({ outcome: 'approval', rule: 'software_access' });
    });

    it('needs approval for account access only when it is worded as privileged', () => {
      expect(decide(facts({ requestType: 'account_access', privileged: true, ...confident })))
        .toMatchObject({ outcome: 'approval', rule: 'privileged_account_access' });
      expect(decide(facts({ requestType: 'account_access', ...confident }))).toMatchObject({ outcome: 'resolve', rule: 'confident_answer' });
      expect(decide(facts({ requestType: 'account_access' }))).toMatchObject({ outcome: 'escalate', rule: 'low_confidence' });
    });

    it('does not treat privileged wording outside account access as a reason for approval', () => {
      expect(decide(facts({ requestType: 'hardware', privileged: true, ...confident }))).toMatchObject({ outcome: 'resolve', rule: 'confident_answer' });
    });

    it('needs approval for a critical priority even with a confident answer', () => {
      expect(decide(facts({ priority: 'critical', ...confident }))).toMatchObject({ outcome: 'approval', rule: 'critical_priority' });
      expect(decide(facts({ priority: 'high', ...confident }))).toMatchObject({ outcome: 'resolve', rule: 'confident_answer' });
    });
  });

  describe('a confident answer', () => {
    it.each([
      ['exactly CONFIDENT_ANSWER with one citation', CONFIDENT_ANSWER, 1, 'confident_answer'],
      ['full confidence with citations', 1, 3, 'confident_answer'],
      ['just below CONFIDENT_ANSWER, even with citations', CONFIDENT_ANSWER - 0.01, 3, 'low_confidence'],
      ['full confidence but no citation', 1, 0, 'low_confidence'],
      ['no confidence and no citation', 0, 0, 'low_confidence'],
    ])('%s → %s', (_, confidence, citations, rule) => {
      expect(decide(facts({ confidence, citations })).rule).toBe(rule);
    });

    it('is described with the threshold it uses', () => {
      expect(described('confident_answer')).toContain(`confidence ≥ ${CONFIDENT_ANSWER}`);
    });
  });

  it('gives every rule its own id, and ends with a rule that always applies', () => {
    const ids = POLICY.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(POLICY.at(-1)).toMatchObject({ id: 'low_confidence', outcome: 'escalate' });
    expect(POLICY.at(-1)!.applies(facts({ ...missing, priority: 'critical', ...confident }))).toBe(true);
  });
});
