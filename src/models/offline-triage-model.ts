// The offline provider's triage: a few transparent keyword and completeness rules, each finding explained.
import { hasPrivilegedWording, higherPriority, TriageModel, TriageRequest, TriageResult } from './triage-model';

const CATEGORY_WORDS: Array<[string, RegExp]> = [
  ['security', /\b(phishing|malware|virus|ransomware|breach|hacked|compromised|suspicious (e-?mail|link|login))\b/i],
  ['email', /\b(e-?mail|outlook|mailbox|inbox|exchange)\b/i],
  ['network', /\b(vpn|wi-?fi|wifi|network|internet|dns|proxy|firewall)\b/i],
  ['hardware', /\b(laptop|monitor|keyboard|mouse|printer|docking station|headset|screen)\b/i],
  ['account', /\b(password|locked out|lockout|mfa|2fa|two-factor|sign[- ]in)\b/i],
  ['software', /\b(install|license|application|software|update|upgrade)\b/i],
];
const OUTAGE_WORDING = /\b(outage|down for (everyone|all)|all users|whole (team|office)|production (is )?down|ransomware|data loss|breach|compromised)\b/i;
const MIN_DESCRIPTION_WORDS = 6;

export class OfflineTriageModel implements TriageModel {
  readonly name = 'offline';

  async triage(request: TriageRequest): Promise<TriageResult> {
    const text = `${request.title}\n${request.description}`;
    const reasons: string[] = [];
    let category = request.category;
    // The requester's own choice stands unless they left it at "other".
    if (category === 'other') {
      const match = CATEGORY_WORDS.find(([, words]) => words.test(text));
      if (match) {
        category = match[0];
        reasons.push(`category ${category}: the request mentions ${text.match(match[1])![0]}`);
      }
    }
    let priority = request.priority;
    if (OUTAGE_WORDING.test(text)) {
      priority = 'critical';
      reasons.push(`priority critical: the request mentions ${text.match(OUTAGE_WORDING)![0]}`);
    } else if (request.urgency === 'urgent' && higherPriority(priority, 'high') === 'high' && priority !== 'high') {
      priority = 'high';
      reasons.push('priority high: the requester marked it urgent');
    }
    priority = higherPriority(priority, request.priority);
    const missing: string[] = [];
    if (request.description.split(/\s+/).filter(Boolean).length < MIN_DESCRIPTION_WORDS) {
      missing.push('what happens, since when, and any error message you see');
    }
    const isAccessRequest = request.requestType === 'software_access' || request.requestType === 'account_access';
    if (isAccessRequest && !request.businessJustification?.trim()) missing.push('why you need this access (the business justification)');
    for (const item of missing) reasons.push(`missing: ${item}`);
    const privileged = hasPrivilegedWording(text);
    if (privileged) reasons.push('privileged: the request asks for administrator or elevated rights');
    return { category, priority, missing, privileged, reasons };
  }
}
