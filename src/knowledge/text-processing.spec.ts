import { cleanText, expandIdentifiers, porterStem, STOP_WORDS, tokenize } from './text-processing';

describe(porterStem.name, () => {
  it.each([
    ['caresses', 'caress'],
    ['ponies', 'poni'],
    ['cats', 'cat'],
    ['running', 'run'],
    ['hopping', 'hop'],
    ['agreed', 'agre'],
    ['relational', 'relat'],
    ['generalization', 'gener'],
    ['directories', 'directori'],
    ['directory', 'directori'],
    ['connection', 'connect'],
    ['connected', 'connect'],
    ['adjustable', 'adjust'],
    ['controlling', 'control'],
  ])('stems %s to %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('leaves short words, numbers and non-ASCII words alone', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('ext4')).toBe('ext4');
    expect(porterStem('größe')).toBe('größe');
  });
});

describe(cleanText.name, () => {
  it('re-joins a word hyphenated at a line end and normalises compatibility characters', () => {
    expect(cleanText('append\u2010\n     ing ﬁles')).toBe('appending files');
  });

  it('keeps real hyphens and line breaks between sentences', () => {
    expect(cleanText('ssh-copy-id copies keys.\nNext line')).toBe('ssh-copy-id copies keys.\nNext line');
  });
});

describe(expandIdentifiers.name, () => {
  it('adds the parts of dotted, slashed and underscored names after them', () => {
    expect(expandIdentifiers('see systemd.timer(5) and /etc/fstab')).toBe('see systemd.timer systemd timer(5) and /etc/fstab etc fstab');
    expect(expandIdentifiers('plain words only')).toBe('plain words only');
  });
});

describe(tokenize.name, () => {
  it('lower-cases letters and digits and drops punctuation', () => {
    expect(tokenize('Run `fsck -y /dev/sda1` NOW!')).toEqual(['run', 'fsck', 'y', 'dev', 'sda1', 'now']);
  });

  it('knows common English function words as stop words', () => {
    expect(['the', 'and', 'of', 'which'].every((word) => STOP_WORDS.has(word))).toBe(true);
    expect(STOP_WORDS.has('printer')).toBe(false);
  });
});
