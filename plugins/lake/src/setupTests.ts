import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering a whole page is slow on a busy two-core machine (CI runs every package at once):
// give async queries and tests room (CI once took >10 s for a first render), so they fail on
// behaviour, not on load.
configure({ asyncUtilTimeout: 30_000 });
jest.setTimeout(90_000);
