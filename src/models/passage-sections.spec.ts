import { plainText, sectionsOf } from './passage-sections';

describe('passage sections', () => {
  it('reads a passage as sections of steps, items, paragraphs, code and tables, in plain text', () => {
    const sections = sectionsOf(
      [
        '# Add an office printer',
        'Print to **FollowMe-Print**, then release the job with your badge.',
        '',
        '## Windows',
        '1. Open **Settings → Printers & scanners**.',
        '2. Click *Add device* and enter `\\\\print.corp.example.com\\FollowMe-Print`,',
        '   then wait a minute.',
        '',
        '## A job does not come out',
        '- Tap your badge [again](https://example.com/badge).',
        '```',
        'lpstat -o',
        '```',
        '| queue | building |',
        '| --- | --- |',
        '| FollowMe-Print | all |',
      ].join('\n'),
      null,
    );

    expect(sections).toEqual([
      { heading: 'Add an office printer', blocks: [{ kind: 'paragraph', text: 'Print to FollowMe-Print, then release the job with your badge.' }] },
      {
        heading: 'Windows',
        blocks: [
          { kind: 'step', text: 'Open Settings → Printers & scanners.' },
          { kind: 'step', text: 'Click Add device and enter \\\\print.corp.example.com\\FollowMe-Print, then wait a minute.' },
        ],
      },
      {
        heading: 'A job does not come out',
        blocks: [
          { kind: 'item', text: 'Tap your badge again.' },
          { kind: 'code', text: 'lpstat -o' },
          { kind: 'table', text: 'queue | building\nFollowMe-Print | all' },
        ],
      },
    ]);
  });

  it('starts a chunk in the section its heading names, and drops a heading with nothing under it', () => {
    expect(sectionsOf('## Empty\n## Steps\n1. Go', 'Chapter **two**')).toEqual([{ heading: 'Steps', blocks: [{ kind: 'step', text: 'Go' }] }]);
    expect(sectionsOf('continues here', 'Chapter **two**')).toEqual([{ heading: 'Chapter two', blocks: [{ kind: 'paragraph', text: 'continues here' }] }]);
  });

  it('reads Markdown inline syntax as its words, and keeps inline code as written', () => {
    expect(plainText('**Bold**, __bold__, *it*, _it_, `a*b*c`, [link](http://x "t"), ![alt](i.png), \\*star\\*, snake_case_name')).toBe(
      'Bold, bold, it, it, a*b*c, link, alt, *star*, snake_case_name',
    );
  });
});
