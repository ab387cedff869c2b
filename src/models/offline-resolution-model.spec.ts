import { NO_KNOWLEDGE_SUMMARY, OfflineResolutionModel } from './offline-resolution-model';
import { Passage, ResolutionRequest } from './resolution-model';

const passage = (chunkId: string, title: string, text: string, heading: string | null = title): Passage => ({
  chunkId,
  documentId: `doc-${chunkId}`,
  title,
  heading,
  page: null,
  text,
});

const mfa = passage(
  'mfa',
  'Move multi-factor authentication to a new phone',
  `# Move multi-factor authentication to a new phone

Sign-ins ask for approval in the **Microsoft Authenticator** app. When you change phones, move it before you wipe the old one.

1. On the new phone, install Microsoft Authenticator.
2. On a computer, open \`https://mysignins.corp.example.com\` and choose **Security info**.
3. Click **Add sign-in method**, pick Authenticator app and scan the QR code with the new phone.
4. Approve the test notification, then delete the old phone from the list.

Lost the old phone? The support team can issue a temporary access pass.`,
);
const newJoiner = passage(
  'joiner',
  'Your first day: set up your laptop',
  `# Your first day: set up your laptop

1. Turn on the laptop and connect to **Corp-Secure** or a cable.
2. Set up multi-factor authentication with Microsoft Authenticator when prompted.
3. Leave the laptop on and connected for an hour.`,
);
const vpn = passage(
  'vpn',
  'Connect to the company VPN',
  `# Connect to the company VPN

You need the VPN to reach internal sites from home or a hotel.

## First connection
1. Install **GlobalProtect** from the Software Center.
2. Open it and enter the portal address \`vpn.corp.example.com\`.

## The VPN disconnects every few minutes
- Switch from Wi-Fi to a cable to rule out the network.
- Quit GlobalProtect completely and open it again.`,
);
const shell = passage(
  'shell',
  'Run a command on the server',
  `# Run a command on the server

Log in with ssh, then run:

\`\`\`
sudo systemctl restart   nginx
journalctl -u nginx --since today
\`\`\`

| service | port |
| --- | --- |
| nginx | 443 |`,
);
const tmux = passage(
  'tmux',
  'tmux(1)',
  `## SESSIONS
- has-session [-t target-session]: report an error and exit with 1 if the session does not exist.
- new-session [-d] [-s session-name]: create a new session; the printer of its status line shows the window list.`,
);

function ask(question: string, passages: Passage[]): ResolutionRequest {
  return { audience: 'requester', ticket: { title: question, description: question, requestType: 'other', category: 'other' }, passages, pastResolutions: [] };
}

describe(OfflineResolutionModel.name, () => {
  const sut = new OfflineResolutionModel();

  it('answers with the one section that answers, its procedure whole, in order, as plain text, citing only it', async () => {
    const draft = await sut.suggest(ask('How do I set up MFA on my new phone?', [newJoiner, mfa, vpn]));

    expect(draft.summary).toBe(
      'From “Move multi-factor authentication to a new phone”: Sign-ins ask for approval in the Microsoft Authenticator app. When you change phones, move it before you wipe the old one.',
    );
    expect(draft.steps).toEqual([
      'On the new phone, install Microsoft Authenticator.',
      'On a computer, open https://mysignins.corp.example.com and choose Security info.',
      'Click Add sign-in method, pick Authenticator app and scan the QR code with the new phone.',
      'Approve the test notification, then delete the old phone from the list.',
    ]);
    expect(draft.citedChunkIds).toEqual(['mfa']);
    expect(draft.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('picks the section of a document that answers, by its heading, and leads with the document’s introduction', async () => {
    const connect = await sut.suggest(ask('How do I connect to the VPN from home?', [vpn]));
    expect(connect.summary).toBe('From “Connect to the company VPN › First connection”: You need the VPN to reach internal sites from home or a hotel.');
    expect(connect.steps).toEqual(['Install GlobalProtect from the Software Center.', 'Open it and enter the portal address vpn.corp.example.com.']);

    const drops = await sut.suggest(ask('My VPN keeps dropping every few minutes', [vpn]));
    expect(drops.summary).toMatch(/^From “Connect to the company VPN › The VPN disconnects every few minutes”/);
    expect(drops.steps).toEqual(['Switch from Wi-Fi to a cable to rule out the network.', 'Quit GlobalProtect completely and open it again.']);
  });

  it('keeps code blocks and tables as they are, line for line, and a step is never repeated', async () => {
    const draft = await sut.suggest(ask('How do I restart nginx on the server?', [shell, { ...shell, chunkId: 'shell-again' }]));
    expect(draft.steps).toEqual(['sudo systemctl restart   nginx\njournalctl -u nginx --since today', 'service | port\nnginx | 443']);
    expect(draft.citedChunkIds).toEqual(['shell']);
  });

  it('does not pad: a question no section covers gets no steps and no sources, and says support will take it', async () => {
    const draft = await sut.suggest(ask('The printer on floor two jams', [tmux, vpn]));
    expect(draft).toEqual({ summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: expect.any(Number) });
    expect(draft.confidence).toBeLessThan(0.5);
    expect(NO_KNOWLEDGE_SUMMARY).toBe('I could not find a how-to for this; a support engineer will take it.');
  });

  it('does not answer from a how-to that leaves out what the question is about', async () => {
    const draft = await sut.suggest(ask('Can you install Linux on my laptop?', [newJoiner, mfa]));
    expect(draft.steps).toEqual([]);
    expect(draft.citedChunkIds).toEqual([]);
  });

  it('answers a question that spans two how-tos from both, and says so', async () => {
    const draft = await sut.suggest(ask('I am new: how do I set up my laptop on day one and connect to the VPN from home?', [newJoiner, vpn, mfa]));
    expect(draft.summary).toBe('This takes two how-tos, “Your first day: set up your laptop” and “Connect to the company VPN › First connection”.');
    expect(draft.citedChunkIds).toEqual(['joiner', 'vpn']);
    expect(draft.steps).toContain('Turn on the laptop and connect to Corp-Secure or a cable.');
    expect(draft.steps).toContain('Install GlobalProtect from the Software Center.');
  });

  it('says no how-to was found when nothing was retrieved', async () => {
    await expect(sut.suggest(ask('VPN drops', []))).resolves.toEqual({ summary: NO_KNOWLEDGE_SUMMARY, steps: [], citedChunkIds: [], confidence: 0 });
  });

  it('is deterministic', async () => {
    const request = ask('How do I set up MFA on my new phone?', [newJoiner, mfa, vpn]);
    await expect(sut.suggest(request)).resolves.toEqual(await sut.suggest(request));
  });
});
