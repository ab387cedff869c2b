import { toSearchQuery, withAlternatives } from './search-query';

describe('search query', () => {
  it('matches any of the question’s words, and the IT thesaurus’s alternatives of each', () => {
    expect(toSearchQuery('Delete a folder, then DELETE it again')).toBe('delete | folder | then | it | again | remove | erase | directory | drive');
  });

  it('leaves a question without known alternatives as its words', () => {
    expect(toSearchQuery('VPN drops hourly')).toBe('vpn | drops | hourly');
    expect(withAlternatives('VPN drops hourly')).toBe('VPN drops hourly');
  });

  it('gives the query’s vector the alternatives after the question', () => {
    expect(withAlternatives('Set up MFA')).toBe('Set up MFA\nmulti factor authentication authenticator 2fa');
  });
});
