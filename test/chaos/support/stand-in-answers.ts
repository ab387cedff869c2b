// What the stand-in model answers the app's two prompts with (see test/support/stand-in-model.ts):
// triage flags elevated rights and asks about a vague request; the plan is never confident, so a
// request without a rule that decides it goes to support.
export function standInAnswer(prompt: string): string {
  if (prompt.includes('You triage IT support requests')) {
    const vague = prompt.includes('SSH key broken');
    return JSON.stringify({
      category: /admin/i.test(prompt) ? 'access' : 'other',
      priority: 'medium',
      missing_information: vague ? ['which server the key is for'] : [],
      privileged_access: /admin access/i.test(prompt),
      reasons: ['read by the stand-in model'],
    });
  }
  return JSON.stringify({ summary: 'Support will look into it.', steps: [], citations: [], confidence: 0.1 });
}
