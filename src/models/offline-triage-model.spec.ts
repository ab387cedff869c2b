import { OfflineTriageModel } from './offline-triage-model';
import { TriageRequest } from './triage-model';

/** A complete hardware request that nothing in the rules reacts to. */
const request = (fields: Partial<TriageRequest> = {}): TriageRequest => ({
  title: 'Laptop screen flickers',
  description: 'The screen flickers every few minutes since Monday morning',
  requestType: 'hardware',
  category: 'hardware',
  priority: 'medium',
  urgency: 'normal',
  businessJustification: null,
  ...fields,
});
const FULLER_DESCRIPTION = 'what happens, since when, and any error message you see';
const JUSTIFICATION = 'why you need this access (the business justification)';
/** Six words that name no category (the default description mentions a screen, i.e. hardware). */
const NEUTRAL = 'It started this morning and nothing I try helps';

describe(OfflineTriageModel.name, () => {
  let sut: OfflineTriageModel;

  beforeEach(() => {
    sut = new OfflineTriageModel();
  });

  it('keeps a complete, ordinary request as the requester filed it, with nothing to explain', async () => {
    await expect(sut.triage(request())).resolves.toEqual({ category: 'hardware', priority: 'medium', missing: [], privileged: false, reasons: [] });
    expect(sut.name).toBe('offline');
  });

  describe('priority', () => {
    it.each(['low', 'medium', 'high', 'critical'])('raises %s to critical when the request reads as an outage', async (priority) => {
      const triage = await sut.triage(request({ priority, description: 'Outage: the shared drive is unreachable for the whole office since 9am' }));
      expect(triage.priority).toBe('critical');
      expect(triage.reasons).toEqual(['priority critical: the request mentions Outage']);
    });

    it.each([
      ['production is down', { title: 'Production is down' }],
      ['all users', { description: 'Since this morning all users get an error when they open the ERP' }],
      ['ransomware', { description: 'A ransom note appeared: looks like ransomware on my desktop machine' }],
      ['down for everyone', { title: 'CRM down for everyone' }],
    ])('reads "%s" as an outage', async (wording, fields) => {
      const triage = await sut.triage(request({ priority: 'low', ...fields }));
      expect(triage.priority).toBe('critical');
      expect(triage.reasons).toContainEqual(expect.stringMatching(new RegExp(`^priority critical: the request mentions ${wording}$`, 'i')));
    });

    it.each([
      ['low', 'urgent', 'high', ['priority high: the requester marked it urgent']],
      ['medium', 'urgent', 'high', ['priority high: the requester marked it urgent']],
      ['high', 'urgent', 'high', []],
      ['critical', 'urgent', 'critical', []],
      ['low', 'normal', 'low', []],
      ['critical', 'low', 'critical', []],
    ])('takes %s priority with %s urgency to %s, never lower', async (priority, urgency, expected, reasons) => {
      const triage = await sut.triage(request({ priority, urgency }));
      expect(triage.priority).toBe(expected);
      expect(triage.reasons).toEqual(reasons);
    });
  });

  describe('category', () => {
    it.each([
      ['network', 'VPN keeps dropping', 'VPN'],
      ['email', 'Outlook will not open', 'Outlook'],
      ['account', 'Locked out after the holidays', 'Locked out'],
      ['security', 'Suspicious email asking for my password', 'Suspicious email'],
    ])('sets a request left at "other" to %s from what it mentions', async (category, title, mentioned) => {
      const triage = await sut.triage(request({ category: 'other', title, description: NEUTRAL }));
      expect(triage.category).toBe(category);
      expect(triage.reasons).toEqual([`category ${category}: the request mentions ${mentioned}`]);
    });

    it('keeps the category the requester chose, whatever the request mentions', async () => {
      await expect(sut.triage(request({ category: 'software', title: 'VPN keeps dropping', description: NEUTRAL }))).resolves.toMatchObject({ category: 'software', reasons: [] });
    });

    it('leaves "other" as it is when nothing matches', async () => {
      await expect(sut.triage(request({ category: 'other', title: 'Question', description: 'Who orders the team birthday cake this month please?' })))
        .resolves.toMatchObject({ category: 'other', reasons: [] });
    });
  });

  describe('missing information', () => {
    it.each([
      ['five words', 'It does not work anymore', [FULLER_DESCRIPTION]],
      ['five words and extra spaces', '  It   does not\nwork  anymore  ', [FULLER_DESCRIPTION]],
      ['no words', '   ', [FULLER_DESCRIPTION]],
      ['six words', 'It does not work since Monday', []],
    ])('asks for a fuller description of %s', async (_, description, missing) => {
      const triage = await sut.triage(request({ description }));
      expect(triage.missing).toEqual(missing);
      expect(triage.reasons).toEqual(missing.map((item) => `missing: ${item}`));
    });

    it.each([
      ['software_access', null, [JUSTIFICATION]],
      ['software_access', '  ', [JUSTIFICATION]],
      ['account_access', null, [JUSTIFICATION]],
      ['software_access', 'Needed for the Q3 audit', []],
      ['account_access', 'Joining the finance team', []],
      ['hardware', null, []],
      ['other', null, []],
    ])('for a %s request with justification %p, misses %j', async (requestType, businessJustification, missing) => {
      const triage = await sut.triage(request({ requestType, businessJustification }));
      expect(triage.missing).toEqual(missing);
      expect(triage.reasons).toEqual(missing.map((item) => `missing: ${item}`));
    });
  });

  describe('privileged wording', () => {
    it.each([
      ['title', { title: 'Need admin access to the database' }],
      ['description', { description: 'Please add me to the sudoers file on the build server today' }],
      ['description, in capitals', { description: 'I need ADMINISTRATOR rights to install the printer driver' }],
      ['description', { description: 'Please give me elevated rights for the deployment tool today' }],
    ])('is found in the %s', async (_, fields) => {
      const triage = await sut.triage(request(fields));
      expect(triage.privileged).toBe(true);
      expect(triage.reasons).toContain('privileged: the request asks for administrator or elevated rights');
    });

    it('is not found inside other words', async () => {
      await expect(sut.triage(request({ title: 'Badminton club booking tool is slow' }))).resolves.toMatchObject({ privileged: false, reasons: [] });
    });
  });

  it('explains every finding with one reason line, in the order the rules run', async () => {
    const triage = await sut.triage(request({
      title: 'Need admin access: outage',
      description: 'Please help',
      requestType: 'account_access',
      category: 'other',
      priority: 'low',
      urgency: 'urgent',
    }));

    expect(triage).toEqual({
      category: 'other',
      priority: 'critical',
      missing: [FULLER_DESCRIPTION, JUSTIFICATION],
      privileged: true,
      reasons: [
        'priority critical: the request mentions outage',
        `missing: ${FULLER_DESCRIPTION}`,
        `missing: ${JUSTIFICATION}`,
        'privileged: the request asks for administrator or elevated rights',
      ],
    });
  });

  it('explains a category found together with the other findings', async () => {
    const triage = await sut.triage(request({ title: 'Admin rights for the VPN client', description: 'Please', category: 'other', urgency: 'urgent' }));
    expect(triage.reasons).toEqual([
      'category network: the request mentions VPN',
      'priority high: the requester marked it urgent',
      `missing: ${FULLER_DESCRIPTION}`,
      'privileged: the request asks for administrator or elevated rights',
    ]);
  });
});
