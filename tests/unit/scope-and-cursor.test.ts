import { decodeCursor, encodeCursor } from '../../src/core/pagination';
import { countyScopedPredicate, divisionPrefix, padCode, prefixRange, regionPredicate, stripPadding } from '../../src/core/scope';

describe('division codes', () => {
  it('normalise every level to its significant prefix and back', () => {
    expect(divisionPrefix('43')).toBe('43');
    expect(divisionPrefix('431226')).toBe('431226');
    expect(divisionPrefix('431226000000')).toBe('431226');
    expect(divisionPrefix('431226101000')).toBe('431226101');
    expect(divisionPrefix('431200000000')).toBe('4312');
    expect(divisionPrefix('431226101203')).toBe('431226101203');
    expect(padCode('431226')).toBe('431226000000');
    expect(stripPadding('430000000000')).toBe('43');
  });

  it('reject codes of other lengths or with non-digits as BAD_USER_INPUT', () => {
    for (const bad of ['4', '43122', '4312261', 'abcdef', '43 12', '']) {
      expect(() => divisionPrefix(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    }
  });
});

describe('region predicates', () => {
  it('use the narrower of scope and request, and nothing when they are disjoint', () => {
    expect(regionPredicate({ regionPrefix: '' }, 'c', 1)).toEqual({ sql: 'TRUE', params: [] });
    expect(regionPredicate({ regionPrefix: '431226' }, 'c', 3)).toEqual({ sql: prefixRange('c', '$3'), params: ['431226'] });
    expect(regionPredicate({ regionPrefix: '431226' }, 'c', 1, '431226101')).toEqual({ sql: prefixRange('c', '$1'), params: ['431226101'] });
    expect(regionPredicate({ regionPrefix: '431226101' }, 'c', 1, '4312')).toEqual({ sql: prefixRange('c', '$1'), params: ['431226101'] });
    expect(regionPredicate({ regionPrefix: '431226' }, 'c', 1, '431202')).toEqual({ sql: 'FALSE', params: [] });
  });

  it('are index ranges over byte-ordered codes: [prefix, prefix || \':\')', () => {
    // ':' is the character after '9', so the upper bound sits just past every code with the prefix.
    expect(prefixRange('c', '$1')).toBe(`(c >= ($1)::text COLLATE "C" AND c < (($1)::text || ':') COLLATE "C")`);
  });

  it('check the household village for scopes narrower than a county', () => {
    expect(countyScopedPredicate({ regionPrefix: '4312' }, 'f', 2).params).toEqual(['4312']);
    const narrow = countyScopedPredicate({ regionPrefix: '431226101' }, 'f', 2);
    expect(narrow.params).toEqual(['431226', '431226101']);
    expect(narrow.sql).toContain(prefixRange('sh.village_code', '$3'));
  });
});

describe('cursors', () => {
  it('round-trip ids and refuse anything else', () => {
    expect(decodeCursor(encodeCursor('12345'))).toBe('12345');
    expect(decodeCursor(null)).toBeNull();
    for (const bad of ['', 'xyz', Buffer.from('id:abc').toString('base64url'), Buffer.from("id:1' OR 1=1").toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    }
  });
});
