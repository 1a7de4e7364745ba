import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering a whole page is slow on a busy two-core machine (CI runs every package at once):
// give async queries and tests room, so they fail on behaviour, not on load.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
