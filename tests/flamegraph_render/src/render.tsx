// The page side of the flame graph render test: Grafana's own flame graph
// component (@grafana/flamegraph) fed a data frame the way Grafana's frontend
// gets one from a backend datasource, i.e. the DataFrameJSON that Grafana's
// server makes of the plugin's Arrow frame, turned into a DataFrame by
// @grafana/data's dataFrameFromJSON.
//
// Bundled by esbuild into one IIFE (React, @grafana/* and all included) that
// defines window.kilnFlameGraph.render(frameJson, options); the test calls it
// from Playwright and waits for the promise, which resolves once the canvas
// has been drawn (or at once, with the component's own verdict, when the
// frame lacks the fields the component needs).
import React from 'react';
import { createRoot, type Root } from 'react-dom/client';

import { createTheme, dataFrameFromJSON, type DataFrameJSON } from '@grafana/data';
import { FlameGraph, checkFields, getMessageCheckFieldsResult } from '@grafana/flamegraph';

export interface RenderOptions {
  theme: 'light' | 'dark';
  width: number;
  height: number;
}

export interface RenderResult {
  // The component's own check of the frame's fields ('' when they are usable).
  fieldProblem: string;
  rows: number;
  // What the component got for the label field, as a check that the enum
  // config survived: its type and the texts of its enum.
  labelType: string;
  enumTexts: number;
}

let root: Root | undefined;

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

async function render(json: DataFrameJSON, options: RenderOptions): Promise<RenderResult> {
  const frame = dataFrameFromJSON(json);
  const theme = createTheme({ colors: { mode: options.theme } });
  document.body.style.margin = '0';
  document.body.style.background = theme.colors.background.primary;
  document.body.style.color = theme.colors.text.primary;

  const container = document.getElementById('root')!;
  container.style.width = `${options.width}px`;
  container.style.height = `${options.height}px`;
  container.style.padding = '0';

  const wrong = checkFields(frame);
  const label = frame.fields.find((f) => f.name === 'label');
  const result: RenderResult = {
    fieldProblem: wrong ? getMessageCheckFieldsResult(wrong) : '',
    rows: frame.length,
    labelType: label ? String(label.type) : '',
    enumTexts: label?.config?.type?.enum?.text?.length ?? 0,
  };

  root?.unmount();
  root = createRoot(container);
  // disableCollapsing: every row of the frame is its own bar, so the test
  // can compare bar widths with the frame's values level by level.
  root.render(<FlameGraph data={frame} getTheme={() => theme} disableCollapsing={true} />);

  // The canvas is sized and drawn in effects after the container has been
  // measured; a few animation frames after it has a size it is drawn.
  const deadline = performance.now() + 10000;
  for (;;) {
    await nextFrame();
    const canvas = container.querySelector<HTMLCanvasElement>('canvas[data-testid="flameGraph"]');
    if (canvas && canvas.width > 0 && canvas.height > 0) {
      break;
    }
    if (result.fieldProblem || performance.now() > deadline) {
      return result;
    }
  }
  for (let i = 0; i < 5; i++) {
    await nextFrame();
  }
  return result;
}

declare global {
  interface Window {
    kilnFlameGraph: { render: typeof render };
  }
}

window.kilnFlameGraph = { render };
