// Where the cursor is in a label selector such as {service_name="api", pod=~"a.*"}
// and what completing there means: a label name, or a value of one label.
// A small scanner rather than a parser, because the text is usually half
// typed; it only needs to be right about the matcher under the cursor.

export type CompletionContext =
  | {
      kind: 'name';
      /** [from, to) is replaced by the chosen name. */
      from: number;
      to: number;
      prefix: string;
      /** The completed matchers elsewhere in the selector, for narrowing suggestions. */
      selector: string;
      /** The text has no `{` yet: the completion adds the braces. */
      needsBraces: boolean;
    }
  | {
      kind: 'value';
      label: string;
      from: number;
      to: number;
      prefix: string;
      selector: string;
      /** The cursor is right after the operator: the completion adds the quotes. */
      needsQuotes: boolean;
    }
  | { kind: 'none' };

const NAME_CHAR = /[A-Za-z0-9_.]/;
const OP_CHAR = /[=!~]/;

type State = 'before' | 'name' | 'op' | 'value' | 'afterValue' | 'closed';

export function completionContext(text: string, cursor: number): CompletionContext {
  const open = text.indexOf('{');
  if (open < 0 || cursor <= open) {
    if (text.slice(0, cursor).trim() === '' && (open < 0 || text.slice(cursor, open).trim() === '')) {
      return open < 0
        ? { kind: 'name', from: 0, to: text.length, prefix: '', selector: '{}', needsBraces: true }
        : { kind: 'none' };
    }
    return { kind: 'none' };
  }

  let state: State = 'before';
  let nameStart = open + 1;
  let name = '';
  let valueStart = 0;
  let matcherStart = open + 1;
  const done: Array<{ start: number; end: number }> = [];
  let atCursor: CompletionContext = { kind: 'none' };
  let cursorMatcher = -1;

  for (let i = open + 1; i <= text.length; i++) {
    if (i === cursor) {
      cursorMatcher = matcherStart;
      if (state === 'before' || state === 'name') {
        let to = i;
        while (to < text.length && NAME_CHAR.test(text[to])) {
          to++;
        }
        const from = state === 'name' ? nameStart : i;
        atCursor = { kind: 'name', from, to, prefix: text.slice(from, i), selector: '', needsBraces: false };
      } else if (state === 'op') {
        atCursor = { kind: 'value', label: name, from: i, to: i, prefix: '', selector: '', needsQuotes: true };
      } else if (state === 'value') {
        let to = i;
        while (to < text.length && text[to] !== '"') {
          to += text[to] === '\\' ? 2 : 1;
        }
        atCursor = {
          kind: 'value',
          label: name,
          from: valueStart,
          to: Math.min(to, text.length),
          prefix: unescape(text.slice(valueStart, i)),
          selector: '',
          needsQuotes: false,
        };
      }
    }
    if (i === text.length) {
      break;
    }
    const c = text[i];
    switch (state) {
      case 'before':
        if (NAME_CHAR.test(c)) {
          state = 'name';
          nameStart = i;
        } else if (c === '}') {
          state = 'closed';
        }
        break;
      case 'name':
        if (OP_CHAR.test(c)) {
          name = text.slice(nameStart, i).trim();
          state = 'op';
        } else if (!NAME_CHAR.test(c) && c !== ' ') {
          state = c === '}' ? 'closed' : 'before';
        }
        break;
      case 'op':
        if (c === '"') {
          state = 'value';
          valueStart = i + 1;
        }
        break;
      case 'value':
        if (c === '\\') {
          i++;
        } else if (c === '"') {
          state = 'afterValue';
          done.push({ start: matcherStart, end: i + 1 });
        }
        break;
      case 'afterValue':
        if (c === ',') {
          state = 'before';
          matcherStart = i + 1;
        } else if (c === '}') {
          state = 'closed';
        }
        break;
      case 'closed':
        break;
    }
  }
  if (atCursor.kind === 'none') {
    return atCursor;
  }
  const others = done
    .filter((m) => m.start !== cursorMatcher)
    .map((m) => text.slice(m.start, m.end).trim())
    .filter((m) => m !== '');
  return { ...atCursor, selector: '{' + others.join(', ') + '}' };
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function escapeValue(value: string): string {
  return value.replace(/[\\"]/g, (m) => '\\' + m);
}

/** The selector with |choice| completed at |ctx|, and where the cursor goes next. */
export function applyCompletion(
  text: string,
  ctx: Exclude<CompletionContext, { kind: 'none' }>,
  choice: string
): { text: string; cursor: number } {
  if (ctx.kind === 'name') {
    if (ctx.needsBraces) {
      const out = `{${choice}=""}`;
      return { text: out, cursor: choice.length + 3 };
    }
    const rest = text.slice(ctx.to);
    if (/^\s*[=!~]/.test(rest)) {
      return { text: text.slice(0, ctx.from) + choice + rest, cursor: ctx.from + choice.length };
    }
    const insert = `${choice}=""`;
    return { text: text.slice(0, ctx.from) + insert + rest, cursor: ctx.from + choice.length + 2 };
  }
  const value = escapeValue(choice);
  if (ctx.needsQuotes) {
    const insert = `"${value}"`;
    return { text: text.slice(0, ctx.from) + insert + text.slice(ctx.to), cursor: ctx.from + insert.length };
  }
  const rest = text.slice(ctx.to);
  const closing = rest.startsWith('"') ? '' : '"';
  const before = text.slice(0, ctx.from) + value + closing;
  return { text: before + rest, cursor: before.length + (closing ? 0 : 1) };
}

/** Suggestions that start with (then contain) the typed prefix, at most |max|. */
export function filterSuggestions(all: string[], prefix: string, max = 50): string[] {
  const p = prefix.toLowerCase();
  const starts = all.filter((s) => s.toLowerCase().startsWith(p));
  const contains = p ? all.filter((s) => !s.toLowerCase().startsWith(p) && s.toLowerCase().includes(p)) : [];
  return [...starts, ...contains].slice(0, max);
}
