// A text field that reports its value when editing ends (blur or Enter), so a
// panel re-runs once per edit rather than once per keystroke.
import React, { useEffect, useState } from 'react';

import { Input } from '@grafana/ui';

interface Props {
  value: string;
  onCommit: (value: string) => void;
  width?: number;
  placeholder?: string;
  type?: 'text' | 'number';
  id?: string;
  'aria-label'?: string;
}

export function CommitInput({ value, onCommit, type = 'text', ...rest }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) {
      onCommit(text);
    }
  };
  return (
    <Input
      {...rest}
      type={type}
      value={text}
      spellCheck={false}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

/** '' → undefined, else the number (NaN stays out: the field keeps its old value). */
export function parseOptionalNumber(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Comma- or whitespace-separated entries, e.g. span IDs. */
export function parseList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
