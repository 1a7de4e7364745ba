import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering a whole page is slow on a busy two-core machine: give async queries and tests room,
// so they fail on behaviour, not on load.
configure({ asyncUtilTimeout: 30_000 });
jest.setTimeout(90_000);

// CodeMirror measures text through ranges, which jsdom does not lay out.
if (typeof Range !== 'undefined') {
  const empty = () =>
    ({
      length: 0,
      item: () => null,
      [Symbol.iterator]: [][Symbol.iterator],
    } as any);
  Range.prototype.getClientRects = Range.prototype.getClientRects ?? empty;
  Range.prototype.getBoundingClientRect =
    Range.prototype.getBoundingClientRect ??
    (() =>
      ({
        x: 0,
        y: 0,
        width: 0,
        height: 0,
        top: 0,
        left: 0,
        right: 0,
        bottom: 0,
      } as DOMRect));
}
