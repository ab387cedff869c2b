import { NO_KNOWLEDGE_SUMMARY, OfflineResolutionModel } from './offline-resolution-model';
import { Passage, ResolutionRequest } from './resolution-model';

const vpnPassage: Passage = {
  chunkId: 'vpn-1',
  documentId: 'doc-vpn',
  title: 'VPN guide',
  heading: 'Certificates',
  page: null,
  text:
    'The VPN client needs a valid certificate. When the certificate expires, the VPN connection drops every hour. ' +
    'Renew the VPN certificate from the self-service portal, then restart the VPN client. Contact the network team if it still fails.',
};
const printerPassage: Passage = {
  chunkId: 'printer-1',
  documentId: 'doc-printer',
  title: 'Printers',
  heading: null,
  page: 3,
  text: 'To clear a paper jam, open the front tray and remove the stuck sheet. Printers on floor two use the PRN-2 queue.',
};

function ask(title: string, description: string, passages: Passage[]): ResolutionRequest {
  return { audience: 'requester', ticket: { title, description, requestType: 'network', category: 'network' }, passages, pastResolutions: [] };
}

describe(OfflineResolutionModel.name, () => {
  const sut = new OfflineResolutionModel();

  it('answers with sentences from the passages that match the ticket, citing where they came from', async () => {
    const draft = await sut.suggest(ask('VPN drops every hour', 'My VPN connection drops; is my certificate expired?', [vpnPassage, printerPassage]));

    expect(draft.summary).toMatch(/^From “VPN guide › Certificates”: /);
    expect(draft.steps.length).toBeGreaterThan(0);
    for (const step of draft.steps) expect(vpnPassage.text).toContain(step);
    expect(draft.steps.join(' ')).toContain('Renew the VPN certificate');
    expect(draft.citedChunkIds).toEqual(['vpn-1']);
    expect(draft.confidence).toBeGreaterThan(0.5);
    expect(draft.confidence).toBeLessThanOrEqual(1);
  });

  it('drops Markdown list marks and emphasis from the steps', async () => {
    const markdown: Passage = { ...vpnPassage, chunkId: 'md', text: '* **Renew** the `VPN` certificate from the portal when the VPN drops.\n* Restart the VPN client afterwards, then reconnect.' };
    const draft = await sut.suggest(ask('VPN drops', 'renew certificate', [markdown]));
    expect(draft.steps[0]).toBe('Renew the VPN certificate from the portal when the VPN drops.');
  });

  it('is deterministic', async () => {
    const request = ask('VPN drops every hour', 'certificate expired?', [vpnPassage, printerPassage]);
    await expect(sut.suggest(request)).resolves.toEqual(await sut.suggest(request));
  });

  it('says no relevant knowledge was found when nothing was retrieved', async () => {
    await expect(sut.suggest(ask('VPN drops', 'help', []))).resolves.toEqual({ summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: 0 });
  });

  it('says no relevant knowledge was found when no passage shares a word with the ticket', async () => {
    const draft = await sut.suggest(ask('Keyboard missing keys', 'Several keys fell off', [printerPassage]));
    expect(draft).toEqual({ summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: 0 });
  });
});
