// The console's text helpers on their own (plain functions, no browser needed): how Markdown is rendered
// and stripped, and how a search hit becomes a snippet. console.browser-spec.ts sees them on the pages.
import { plainLine, plainText, renderDocument, renderLine, renderMessage } from '../../console/src/markdown';
import { queryStems, snippet, type SnippetPart } from '../../console/src/snippet';

const marked = (parts: SnippetPart[]) => parts.filter((part) => part.marked).map((part) => part.text);
const joined = (parts: SnippetPart[]) => parts.map((part) => part.text).join('');

describe('Markdown in the console', () => {
  it('formats headings, emphasis, code and lists, and escapes raw HTML instead of passing it', () => {
    const html = renderDocument('# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img/);
  });

  it('moves a passage’s headings under the page’s own, its largest heading to the level asked for', () => {
    expect(renderDocument('## Steps\n\n### Detail', { topHeadingLevel: 3 })).toBe('<h3>Steps</h3>\n<h4>Detail</h4>\n');
  });

  it('opens web links in a new tab without access to the console, and keeps other links as text', () => {
    const html = renderDocument('[site](https://example.com) [mail](mailto:it@example.com) [doc](other.md) [bad](javascript:alert(1)) ![pic](https://example.com/p.png)');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">site</a>');
    expect(html).toContain('<a href="mailto:it@example.com" target="_blank" rel="noopener noreferrer">mail</a>');
    expect(html).toContain(' doc ');
    expect(html).toContain('[bad](javascript:alert(1))');
    expect(html).not.toMatch(/href="(?!https:|mailto:)|<img/);
    expect(html).toContain(' pic');
  });

  it('writes no inline style (the table alignment markdown-it would set)', () => {
    expect(renderDocument('| a | b |\n|:--|--:|\n| 1 | 2 |')).not.toContain('style=');
  });

  it('keeps a message’s line breaks and renders a step without its list or heading mark', () => {
    expect(renderMessage('First line\nsecond line')).toBe('<p>First line<br>\nsecond line</p>\n');
    expect(renderLine('## 2. Run `ipconfig` **now** <b>')).toBe('2. Run <code>ipconfig</code> <strong>now</strong> &lt;b&gt;');
    expect(renderLine('3. Restart the laptop')).toBe('Restart the laptop');
  });

  it('strips Markdown to its words, one block a line', () => {
    const text = plainText('# Connect to the VPN\n\nInstall **GlobalProtect** from `Software Center`; see [the guide](https://example.com).\n\n1. Sign in\n2. Approve the _MFA_ prompt');
    expect(text).toBe('Connect to the VPN\nInstall GlobalProtect from Software Center; see the guide.\nSign in\nApprove the MFA prompt');
    expect(plainLine('## Install `kubectl` **today**')).toBe('Install kubectl today');
    expect(plainLine('1. Getting started')).toBe('1. Getting started');
  });
});

describe('Search snippets', () => {
  it('marks the query’s words, by stem or prefix, and not the common ones', () => {
    expect(queryStems('How do I connect to the VPN?')).toEqual(['connect', 'vpn']);
    const parts = snippet('Connecting to the VPN: the connection drops when the vpn client updates.', 'how to connect the VPN');
    expect(marked(parts)).toEqual(['Connecting', 'VPN', 'connection', 'vpn']);
    expect(joined(parts)).toBe('Connecting to the VPN: the connection drops when the vpn client updates.');
  });

  it('keeps a short text whole and joins its blocks so they read as one line', () => {
    expect(joined(snippet('Printers\nAdd a printer.\nOpen Settings', 'printer'))).toBe('Printers · Add a printer. Open Settings');
  });

  it('cuts a long text at words around the part with the most query words, with an ellipsis where it was cut', () => {
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8);
    const parts = snippet(`${filler}To reset your token, open the token portal and choose reset. ${filler}`, 'reset token', 120);
    const text = joined(parts);
    expect(text.length).toBeLessThanOrEqual(122);
    expect(text).toMatch(/^…\S/);
    expect(text).toMatch(/\S…$/);
    expect(text).toContain('To reset your token, open the token portal and choose reset.');
    expect(marked(parts)).toEqual(['reset', 'token', 'token', 'reset']);
  });

  it('starts at the beginning when nothing matches', () => {
    const parts = snippet('word '.repeat(100), 'nothing', 50);
    expect(joined(parts)).toMatch(/^word .*…$/);
    expect(marked(parts)).toEqual([]);
  });
});
