import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closingParen, collapseSpaces, isName, isPunct, isWord, mapOutsideStrings, splitTopLevel, stripOuterParens, tokenize, type Token } from '../../src/sql/text.js';

/** Each token as `kind:value`. */
const kinds = (sql: string, extra = false): string[] => tokenize(sql, { extraIdentifierQuotes: extra }).map((t) => `${t.kind}:${t.value}`);
/** Each part as written. */
const texts = (sql: string, parts: Token[][]): string[] => parts.map((p) => sql.slice(p[0].start, p[p.length - 1].end));

describe('tokenize', () => {
  it('reads words, numbers, punctuation, strings and quoted names', () => {
    assert.deepEqual(kinds(`price >= 1.5e3 AND "Name" <> 'x'`), ['word:price', 'punct:>', 'punct:=', 'number:1.5e3', 'word:AND', 'ident:Name', 'punct:<', 'punct:>', "string:'x'"]);
  });

  it('keeps a string literal as written, embedded quotes doubled', () => {
    assert.deepEqual(kinds(`'it''s' || ''''`), ["string:'it''s'", 'punct:|', 'punct:|', "string:''''"]);
  });

  it('unquotes a quoted name, embedded quotes single; parentheses and commas inside are part of it', () => {
    assert.deepEqual(kinds(`"a ""b"", (c)" , "x,y"`), ['ident:a "b", (c)', 'punct:,', 'ident:x,y']);
  });

  it('reads a string or name as a whole even when it holds the other quote', () => {
    assert.deepEqual(kinds(`'say "hi"' "it's"`), [`string:'say "hi"'`, "ident:it's"]);
  });

  it('gives each token its place in the text', () => {
    const sql = ` "a""b" = 'c' `;
    assert.deepEqual(
      tokenize(sql).map((t) => sql.slice(t.start, t.end)),
      ['"a""b"', '=', "'c'"],
    );
  });

  it('leaves comments out, but not inside strings', () => {
    assert.deepEqual(kinds("a -- b, c\n, /* d ( */ e '--x' '/*y*/'"), ['word:a', 'punct:,', 'word:e', "string:'--x'", "string:'/*y*/'"]);
  });

  it('runs an unterminated string, name or comment to the end', () => {
    assert.deepEqual(kinds(`a 'b, c`), ['word:a', "string:'b, c"]);
    assert.deepEqual(kinds(`a "b, c`), ['word:a', 'ident:b, c']);
    assert.deepEqual(kinds('a /* b'), ['word:a']);
  });

  it('reads `…` and […] as names only when asked (SQLite)', () => {
    assert.deepEqual(kinds('`a b` [c d]'), ['punct:`', 'word:a', 'word:b', 'punct:`', 'punct:[', 'word:c', 'word:d', 'punct:]']);
    assert.deepEqual(kinds('`a``b` [c d]', true), ['ident:a`b', 'ident:c d']);
  });

  it('reads letters beyond ASCII and $ as parts of a word', () => {
    assert.deepEqual(kinds('größe $1 a$b'), ['word:größe', 'punct:$', 'number:1', 'word:a$b']);
  });

  it('reads nothing from empty or blank text', () => {
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize(' \n\t '), []);
  });
});

describe('isWord, isPunct, isName', () => {
  const [word, ident, str, paren, quotedParen] = tokenize(`check "check" 'check' ( "("`);
  it('tells a bare word from a quoted name and a string', () => {
    assert.equal(isWord(word, 'CHECK'), true);
    assert.equal(isWord(ident, 'CHECK'), false);
    assert.equal(isWord(str, 'CHECK'), false);
    assert.equal(isWord(undefined, 'CHECK'), false);
    assert.equal(isName(word) && isName(ident), true);
    assert.equal(isName(str), false);
  });
  it('does not take a quoted name that reads ( for a parenthesis', () => {
    assert.equal(isPunct(paren, '('), true);
    assert.equal(isPunct(quotedParen, '('), false);
    assert.equal(isPunct(undefined, '('), false);
  });
});

describe('closingParen', () => {
  it('finds the matching parenthesis past nested ones', () => {
    const t = tokenize('f(a, (b), g(c)) + 1');
    assert.equal(closingParen(t, 1), 12);
    assert.equal(t[12].value, ')');
    assert.equal(closingParen(t, 4), 6);
  });
  it('ignores parentheses inside strings and quoted names', () => {
    const t = tokenize(`(')' || ")(" || x) y`);
    assert.equal(t[closingParen(t, 0)].end, `(')' || ")(" || x)`.length);
  });
  it('answers tokens.length for a parenthesis never closed', () => {
    const t = tokenize('(a, (b)');
    assert.equal(closingParen(t, 0), t.length);
  });
});

describe('splitTopLevel', () => {
  const split = (sql: string): string[] => {
    const t = tokenize(sql);
    return texts(sql, splitTopLevel(t, 0, t.length));
  };
  it('splits at commas outside parentheses', () => {
    assert.deepEqual(split('a int, b numeric(10, 2), CHECK (a IN (1, 2))'), ['a int', 'b numeric(10, 2)', 'CHECK (a IN (1, 2))']);
  });
  it('does not split at commas in strings or quoted names', () => {
    assert.deepEqual(split(`"x,y" text DEFAULT 'a,b', z`), [`"x,y" text DEFAULT 'a,b'`, 'z']);
  });
  it('leaves empty parts out', () => {
    assert.deepEqual(split(', a,, b,'), ['a', 'b']);
    assert.deepEqual(split(''), []);
  });
  it('splits only the range asked for', () => {
    const sql = 'CREATE TABLE t (a, b) STRICT, x';
    const t = tokenize(sql);
    const open = t.findIndex((x) => isPunct(x, '('));
    assert.deepEqual(texts(sql, splitTopLevel(t, open + 1, closingParen(t, open))), ['a', 'b']);
  });
  it('does not split after a stray closing parenthesis (below depth 0)', () => {
    assert.deepEqual(split('a), b, c'), ['a), b, c']);
  });
});

describe('collapseSpaces', () => {
  it('folds runs of white space into one space and trims', () => {
    assert.equal(collapseSpaces('  a \n\t b  '), 'a b');
    assert.equal(collapseSpaces(''), '');
  });
  it('folds inside string literals too', () => {
    assert.equal(collapseSpaces(`x = 'a   b'`), `x = 'a b'`);
  });
});

describe('mapOutsideStrings', () => {
  const upper = (s: string): string => s.toUpperCase();
  it('changes only the text between string literals', () => {
    assert.equal(mapOutsideStrings(`lower('Ab') || 'c'`, upper), `LOWER('Ab') || 'c'`);
  });
  it('keeps a literal with doubled quotes whole', () => {
    assert.equal(mapOutsideStrings(`a 'it''s b' c`, upper), `A 'it''s b' C`);
    assert.equal(mapOutsideStrings(`''''x`, upper), `''''X`);
  });
  it('counts double-quoted names as outside', () => {
    assert.equal(mapOutsideStrings(`"Col" = 'V'`, upper), `"COL" = 'V'`);
  });
  it('maps each literal with the second function', () => {
    assert.equal(
      mapOutsideStrings(`'1' + '2x'`, (s) => s, (lit) => (/^'\d+'$/.test(lit) ? lit.slice(1, -1) : lit)),
      `1 + '2x'`,
    );
  });
  it('keeps an unclosed quote, and maps what follows it', () => {
    assert.equal(mapOutsideStrings(`a 'b`, upper), `A 'B`);
  });
  it('maps nothing in empty text', () => {
    assert.equal(mapOutsideStrings('', () => 'x'), '');
  });
});

describe('stripOuterParens', () => {
  it('removes every pair around the whole expression, and trims', () => {
    assert.equal(stripOuterParens(' (( a + b )) '), 'a + b');
    assert.equal(stripOuterParens('((0))'), '0');
  });
  it('keeps parentheses that do not wrap the whole', () => {
    assert.equal(stripOuterParens('(a) + (b)'), '(a) + (b)');
    assert.equal(stripOuterParens('((a) + (b))'), '(a) + (b)');
    assert.equal(stripOuterParens('lower(x)'), 'lower(x)');
  });
  it('does not count parentheses in strings', () => {
    assert.equal(stripOuterParens(`(')' || x)`), `')' || x`);
    assert.equal(stripOuterParens(`('a' || ')') || ('(')`), `('a' || ')') || ('(')`);
    assert.equal(stripOuterParens(`('it''s (')`), `'it''s ('`);
  });
  it('does not count parentheses in quoted names', () => {
    assert.equal(stripOuterParens(`("a)" + 1)`), `"a)" + 1`);
    assert.equal(stripOuterParens(`("a(" + b) + (c)`), `("a(" + b) + (c)`);
  });
  it('leaves text without outer parentheses as it is, trimmed', () => {
    assert.equal(stripOuterParens(" 'x' "), "'x'");
    assert.equal(stripOuterParens('()'), '');
    assert.equal(stripOuterParens(''), '');
  });
});
