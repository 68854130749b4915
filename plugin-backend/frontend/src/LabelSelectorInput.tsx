// A label selector text field that suggests label names and values from the
// backend (labelNames/labelValues resources) for the matcher under the cursor.
// The text is committed (onCommit) on blur and Enter, not on every keystroke,
// so a panel does not re-run half-typed selectors.
import React, { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

import { TimeRange } from '@grafana/data';
import { Input, useTheme2 } from '@grafana/ui';

import type { KilnDataSource } from './datasource';
import { applyCompletion, CompletionContext, completionContext, filterSuggestions } from './selectorCompletion';

interface Props {
  datasource: KilnDataSource;
  value: string;
  onCommit: (value: string) => void;
  range?: TimeRange;
  width?: number;
  placeholder?: string;
  'aria-label'?: string;
  id?: string;
}

type ActiveContext = Exclude<CompletionContext, { kind: 'none' }>;

export function LabelSelectorInput(props: Props) {
  const { datasource, value, onCommit, range } = props;
  const theme = useTheme2();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value);
  const [ctx, setCtx] = useState<ActiveContext | undefined>();
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [highlight, setHighlight] = useState(0);
  const pendingCursor = useRef<number | undefined>();
  const cache = useRef(new Map<string, Promise<string[]>>());
  const request = useRef(0);

  useEffect(() => setText(value), [value]);

  // Suggestions depend on the range only coarsely; a new range starts a new cache.
  const rangeKey = range ? `${range.from.valueOf()}-${range.to.valueOf()}` : '';
  useEffect(() => cache.current.clear(), [rangeKey]);

  const candidates = useCallback(
    (c: ActiveContext): Promise<string[]> => {
      const key = c.kind === 'name' ? `n|${c.selector}` : `v|${c.label}|${c.selector}`;
      let p = cache.current.get(key);
      if (!p) {
        p = (
          c.kind === 'name'
            ? datasource.getLabelNames(c.selector, range)
            : datasource.getLabelValues(c.label, c.selector, range)
        ).catch(() => []);
        cache.current.set(key, p);
      }
      return p;
    },
    [datasource, range]
  );

  const refresh = useCallback(
    (nextText: string, cursor: number) => {
      const c = completionContext(nextText, cursor);
      const id = ++request.current;
      if (c.kind === 'none') {
        setCtx(undefined);
        setSuggestions([]);
        return;
      }
      setCtx(c);
      candidates(c).then((all) => {
        if (id === request.current) {
          setSuggestions(filterSuggestions(all, c.prefix));
          setHighlight(0);
        }
      });
    },
    [candidates]
  );

  useLayoutEffect(() => {
    if (pendingCursor.current !== undefined && inputRef.current) {
      inputRef.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
      pendingCursor.current = undefined;
    }
  });

  const close = () => {
    request.current++;
    setCtx(undefined);
    setSuggestions([]);
  };

  const choose = (choice: string) => {
    if (!ctx) {
      return;
    }
    const out = applyCompletion(text, ctx, choice);
    setText(out.text);
    pendingCursor.current = out.cursor;
    refresh(out.text, out.cursor);
  };

  const commit = () => {
    if (text !== value) {
      onCommit(text);
    }
  };

  const open = ctx !== undefined && suggestions.length > 0;

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (h + step + suggestions.length) % suggestions.length);
    } else if (open && (e.key === 'Enter' || e.key === 'Tab')) {
      e.preventDefault();
      choose(suggestions[highlight]);
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter') {
      commit();
    }
  };

  const onCursorMove = (e: React.SyntheticEvent<HTMLInputElement>) => {
    const el = e.currentTarget;
    refresh(el.value, el.selectionStart ?? el.value.length);
  };

  return (
    <div style={{ position: 'relative', flexGrow: 1 }}>
      <Input
        ref={inputRef}
        id={props.id}
        aria-label={props['aria-label']}
        width={props.width}
        placeholder={props.placeholder ?? '{service_name="api"}'}
        value={text}
        spellCheck={false}
        autoComplete="off"
        role="combobox"
        aria-expanded={open}
        aria-autocomplete="list"
        onChange={(e) => {
          const el = e.currentTarget;
          setText(el.value);
          refresh(el.value, el.selectionStart ?? el.value.length);
        }}
        onClick={onCursorMove}
        onFocus={onCursorMove}
        onKeyDown={onKeyDown}
        onBlur={() => {
          close();
          commit();
        }}
      />
      {open && (
        <ul
          role="listbox"
          aria-label={`${ctx.kind === 'name' ? 'Label names' : `Values of ${ctx.label}`}`}
          style={{
            position: 'absolute',
            zIndex: theme.zIndex.dropdown,
            top: '100%',
            left: 0,
            minWidth: 240,
            maxHeight: 280,
            overflowY: 'auto',
            margin: 0,
            padding: theme.spacing(0.5, 0),
            listStyle: 'none',
            background: theme.colors.background.elevated,
            border: `1px solid ${theme.colors.border.weak}`,
            boxShadow: theme.shadows.z3,
            fontFamily: theme.typography.fontFamilyMonospace,
          }}
        >
          {suggestions.map((s, i) => (
            <li
              key={s}
              role="option"
              aria-selected={i === highlight}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
              onMouseEnter={() => setHighlight(i)}
              style={{
                padding: theme.spacing(0.5, 1),
                cursor: 'pointer',
                background: i === highlight ? theme.colors.action.hover : undefined,
              }}
            >
              {s}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
