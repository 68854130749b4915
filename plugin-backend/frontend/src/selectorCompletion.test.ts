import { applyCompletion, completionContext, filterSuggestions } from './selectorCompletion';

// The cursor is where "|" is in the given text.
function at(textWithCursor: string) {
  const cursor = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  return { text, cursor, ctx: completionContext(text, cursor) };
}

describe('completionContext', () => {
  it('offers names (with braces) in an empty selector', () => {
    const { ctx } = at('|');
    expect(ctx).toMatchObject({ kind: 'name', needsBraces: true, prefix: '' });
  });

  it('offers names after { and after a comma, with the typed prefix', () => {
    expect(at('{|}').ctx).toMatchObject({ kind: 'name', prefix: '', from: 1, to: 1, selector: '{}' });
    expect(at('{service_name="api", po|}').ctx).toMatchObject({
      kind: 'name',
      prefix: 'po',
      from: 21,
      to: 23,
      selector: '{service_name="api"}',
    });
  });

  it('offers values of the label whose quotes hold the cursor, narrowed by the other matchers', () => {
    expect(at('{service_name="api", pod=~"web-|"}').ctx).toMatchObject({
      kind: 'value',
      label: 'pod',
      prefix: 'web-',
      needsQuotes: false,
      selector: '{service_name="api"}',
    });
    expect(at('{service_name="a|pi", pod="x"}').ctx).toMatchObject({
      kind: 'value',
      label: 'service_name',
      prefix: 'a',
      from: 15,
      to: 18,
      selector: '{pod="x"}',
    });
  });

  it('offers quoted values right after an operator', () => {
    expect(at('{pod!=|}').ctx).toMatchObject({ kind: 'value', label: 'pod', needsQuotes: true });
  });

  it('offers nothing after a complete matcher or outside the braces', () => {
    expect(at('{pod="a"|}').ctx).toEqual({ kind: 'none' });
    expect(at('{pod="a"}|').ctx).toEqual({ kind: 'none' });
  });
});

describe('applyCompletion', () => {
  function complete(textWithCursor: string, choice: string): string {
    const { text, ctx } = at(textWithCursor);
    if (ctx.kind === 'none') throw new Error('no completion context');
    const out = applyCompletion(text, ctx, choice);
    return out.text.slice(0, out.cursor) + '|' + out.text.slice(out.cursor);
  }

  it('completes a name and leaves the cursor inside the empty value', () => {
    expect(complete('|', 'service_name')).toBe('{service_name="|"}');
    expect(complete('{a="b", po|}', 'pod')).toBe('{a="b", pod="|"}');
  });

  it('replaces only the name when an operator follows', () => {
    expect(complete('{po|d=~"x"}', 'pod_name')).toBe('{pod_name|=~"x"}');
  });

  it('completes a value, escaping quotes, and moves past the closing quote', () => {
    expect(complete('{pod="we|b"}', 'web-1')).toBe('{pod="web-1"|}');
    expect(complete('{pod=|}', 'say "hi"')).toBe('{pod="say \\"hi\\""|}');
    expect(complete('{pod="w|', 'web')).toBe('{pod="web"|');
  });
});

describe('filterSuggestions', () => {
  it('puts prefix matches before substring matches and caps the list', () => {
    expect(filterSuggestions(['app', 'pod', 'span_pod', 'Pod_ip'], 'pod')).toEqual(['pod', 'Pod_ip', 'span_pod']);
    expect(filterSuggestions(['a', 'b', 'c'], '', 2)).toEqual(['a', 'b']);
  });
});
