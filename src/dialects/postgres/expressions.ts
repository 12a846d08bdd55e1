/**
 * SQL expressions (checks, partial-index predicates) as comparable text. PostgreSQL stores them
 * re-printed — `((status <> 'archived'::text) AND (score = '-1'::integer))` for
 * `"status" != 'archived' AND "score" = -1` — so both sides are reduced to a common form: plain
 * identifiers unquoted, keywords lower-cased, casts dropped, `!=` as `<>`, numbers exact and
 * unquoted, and the parentheses PostgreSQL adds around literals, comparisons and the whole
 * expression removed. String literals are kept exactly; arithmetic keeps its parentheses.
 */
import { canonicalNumber } from './numbers.js';
import { collapseSpaces } from '../../sql/text.js';

type Token = { kind: 'str' | 'qid' | 'num' | 'word' | 'op' | '(' | ')' | ','; value: string };

const TOKEN = /\s*(?:('(?:[^']|'')*')|("(?:[^"]|"")*")|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)|(::|<>|!=|<=|>=|\|\||[-+*/<>=~!@#%^&|`?]+|\[|\]|\.)|(\()|(\))|(,))/y;

function tokenize(s: string): Token[] | undefined {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < s.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(s);
    if (!m || TOKEN.lastIndex === start) {
      if (/^\s*$/.test(s.slice(start))) break;
      return undefined;
    }
    const [, str, qid, num, word, op, open, close, comma] = m;
    if (str !== undefined) out.push({ kind: 'str', value: str });
    else if (qid !== undefined) out.push({ kind: 'qid', value: qid });
    else if (num !== undefined) out.push({ kind: 'num', value: num });
    else if (word !== undefined) out.push({ kind: 'word', value: word });
    else if (op !== undefined) out.push({ kind: 'op', value: op });
    else if (open !== undefined) out.push({ kind: '(', value: '(' });
    else if (close !== undefined) out.push({ kind: ')', value: ')' });
    else if (comma !== undefined) out.push({ kind: ',', value: ',' });
  }
  return out;
}

/** Words that continue a type name after `::` (`character varying`, `timestamp with time zone`). */
const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone']);
const BOOLEAN_WORDS = new Set(['and', 'or']);
const COMPARISON = new Set(['=', '<>', '<', '>', '<=', '>=', 'is', 'like', 'ilike', 'in', 'between', '~~', '!~~', '~', '~*', '!~', '!~*']);

/** Tokens without casts, with plain identifiers unquoted, keywords lower-cased, numbers exact. */
function canonicalTokens(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'op' && t.value === '::') {
      // Skip the type: words (or a quoted name), an optional (n[,m]), any [].
      let j = i + 1;
      if (tokens[j]?.kind === 'qid' || tokens[j]?.kind === 'word') j++;
      while (tokens[j]?.kind === 'word' && TYPE_WORDS.has(tokens[j].value.toLowerCase())) j++;
      if (tokens[j]?.kind === '(') {
        let k = j + 1;
        while (tokens[k] && tokens[k].kind !== ')') k++;
        j = k + 1;
      }
      while (tokens[j]?.kind === 'op' && tokens[j].value === '[' && tokens[j + 1]?.value === ']') j += 2;
      i = j - 1;
      continue;
    }
    if (t.kind === 'qid') {
      const name = t.value.slice(1, -1).replace(/""/g, '"');
      out.push(/^[a-z_][a-z0-9_$]*$/.test(name) ? { kind: 'word', value: name } : t);
    } else if (t.kind === 'word') out.push({ kind: 'word', value: t.value.toLowerCase() });
    else if (t.kind === 'op' && t.value === '!=') out.push({ kind: 'op', value: '<>' });
    else if (t.kind === 'str' && /^'-?\d+(?:\.\d+)?'$/.test(t.value)) out.push({ kind: 'num', value: canonicalNumber(t.value.slice(1, -1)) });
    else if (t.kind === 'num') {
      // A unary minus (after an operator, an opening parenthesis, a comma or nothing) joins its number.
      const prev = out[out.length - 1];
      const beforePrev = out[out.length - 2];
      if (prev?.kind === 'op' && prev.value === '-' && (!beforePrev || beforePrev.kind === 'op' || beforePrev.kind === '(' || beforePrev.kind === ',' || (beforePrev.kind === 'word' && COMPARISON.has(beforePrev.value)))) {
        out.pop();
        out.push({ kind: 'num', value: canonicalNumber(`-${t.value}`) });
      } else out.push({ kind: 'num', value: canonicalNumber(t.value) });
    } else out.push(t);
  }
  return out;
}

/** The index of the `)` closing the `(` at `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].kind === '(') depth++;
    else if (tokens[i].kind === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** What the top level of tokens[from, to) holds: AND/OR, a comparison. */
function topLevel(tokens: Token[], from: number, to: number): { boolean: boolean; comparison: boolean } {
  let depth = 0;
  let boolean = false;
  let comparison = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind === '(') depth++;
    else if (t.kind === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && BOOLEAN_WORDS.has(t.value)) boolean = true;
    else if (depth === 0 && (t.kind === 'op' || t.kind === 'word') && COMPARISON.has(t.value)) comparison = true;
  }
  return { boolean, comparison };
}

/**
 * Drops parentheses that change nothing: around one token, around a comparison (which binds
 * tighter than AND/OR and looser than arithmetic), and around the whole expression. Those of
 * function calls, lists (`IN (…)`) and arithmetic stay.
 */
function dropParentheses(tokens: Token[]): Token[] {
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].kind !== '(') continue;
      const prev = tokens[i - 1];
      const call = prev && (prev.kind === 'qid' || (prev.kind === 'word' && !BOOLEAN_WORDS.has(prev.value) && prev.value !== 'not'));
      if (call) continue;
      const end = closing(tokens, i);
      const whole = i === 0 && end === tokens.length - 1;
      const inner = topLevel(tokens, i + 1, end);
      if (end - i === 2 || whole || (inner.comparison && !inner.boolean)) {
        tokens = [...tokens.slice(0, i), ...tokens.slice(i + 1, end), ...tokens.slice(end + 1)];
        changed = true;
        break;
      }
    }
  }
  return tokens;
}

function render(tokens: Token[]): string {
  let out = '';
  for (const [i, t] of tokens.entries()) {
    const prev = tokens[i - 1];
    const tight = !prev || prev.kind === '(' || t.kind === ')' || t.kind === ',' || (t.kind === '(' && (prev.kind === 'word' || prev.kind === 'qid'));
    out += `${tight ? '' : ' '}${t.value}`;
  }
  return out;
}

export function normalizePgExpression(expression: string): string {
  const tokens = tokenize(expression);
  // Something this tokenizer does not know: compared by its spacing-free text.
  if (!tokens) return collapseSpaces(expression);
  return render(dropParentheses(canonicalTokens(tokens)));
}
