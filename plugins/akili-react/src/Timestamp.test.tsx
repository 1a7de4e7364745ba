import { render, screen } from '@testing-library/react';
import { Timestamp } from './Timestamp';
import {
  browserTimeZone,
  formatAbsoluteTime,
  formatDate,
  formatTimeOfDay,
  formatTimestamp,
} from './time';

// 01:45:17.042 UTC on 4 December 2026; "now" is fixed so nothing depends on the clock.
const AT = '2026-12-04T01:45:17.042Z';
const NOW = Date.parse('2026-12-04T01:50:17Z');

describe('formatAbsoluteTime', () => {
  it('writes the time in the zone asked, with its offset and name', () => {
    expect(formatAbsoluteTime(AT, 'Europe/Paris')).toBe(
      '2026-12-04 02:45:17 UTC+01:00 (Europe/Paris)',
    );
    // The day changes with the zone.
    expect(formatAbsoluteTime(AT, 'America/New_York')).toBe(
      '2026-12-03 20:45:17 UTC-05:00 (America/New_York)',
    );
    expect(formatAbsoluteTime(AT, 'Asia/Kolkata')).toBe(
      '2026-12-04 07:15:17 UTC+05:30 (Asia/Kolkata)',
    );
    expect(formatAbsoluteTime(AT, 'UTC')).toBe(
      '2026-12-04 01:45:17 UTC+00:00 (UTC)',
    );
    // Summer time: Paris is two hours ahead in July.
    expect(formatAbsoluteTime('2026-07-01T12:00:00Z', 'Europe/Paris')).toBe(
      '2026-07-01 14:00:00 UTC+02:00 (Europe/Paris)',
    );
  });

  it('uses the browser’s zone by default', () => {
    const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
    const spy = jest
      .spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions')
      .mockImplementation(function mocked(this: Intl.DateTimeFormat) {
        return { ...resolvedOptions.call(this), timeZone: 'Asia/Tokyo' };
      });
    try {
      expect(browserTimeZone()).toBe('Asia/Tokyo');
      expect(formatAbsoluteTime(AT)).toBe(
        '2026-12-04 10:45:17 UTC+09:00 (Asia/Tokyo)',
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('gives back text that is not a time', () => {
    expect(formatAbsoluteTime('soon', 'UTC')).toBe('soon');
    expect(formatTimestamp('soon')).toBe('soon');
  });
});

describe('formatTimeOfDay', () => {
  it('writes the time of day in the zone, to the millisecond', () => {
    expect(formatTimeOfDay(AT, 'Europe/Paris')).toBe('02:45:17.042');
    expect(formatTimeOfDay(AT, 'America/New_York')).toBe('20:45:17.042');
  });
});

describe('Timestamp', () => {
  it('shows the date and time in the zone, the absolute time with its zone on hover', () => {
    render(<Timestamp value={AT} timeZone="Europe/Paris" />);
    const time = screen.getByText(formatTimestamp(AT, 'Europe/Paris'));
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', AT);
    expect(time).toHaveAttribute(
      'title',
      '2026-12-04 02:45:17 UTC+01:00 (Europe/Paris)',
    );
    // The visible text is in the zone too: 02:45 in Paris, not 01:45 UTC.
    expect(time.textContent).toMatch(/2:45:17/);
    expect(time.textContent).not.toMatch(/1:45:17/);
  });

  it('shows a time relative to now', () => {
    render(
      <Timestamp
        value={new Date(AT)}
        format="relative"
        now={NOW}
        timeZone="Asia/Tokyo"
      />,
    );
    const time = screen.getByText('5 minutes ago');
    expect(time).toHaveAttribute('dateTime', AT);
    expect(time).toHaveAttribute(
      'title',
      '2026-12-04 10:45:17 UTC+09:00 (Asia/Tokyo)',
    );
  });

  it('shows a day alone, or a time of day', () => {
    const { rerender } = render(
      <Timestamp value={AT} format="date" timeZone="America/New_York" />,
    );
    // 3 December in New York while 4 December in UTC.
    const day = formatDate(AT, 'America/New_York');
    expect(day).not.toBe(formatDate(AT, 'UTC'));
    expect(screen.getByText(day)).toHaveAttribute(
      'title',
      '2026-12-03 20:45:17 UTC-05:00 (America/New_York)',
    );
    rerender(<Timestamp value={AT} format="time" timeZone="UTC" />);
    expect(screen.getByText('01:45:17.042')).toBeInTheDocument();
  });

  it('shows a dash without a time, and text that is not a time as it is', () => {
    const { rerender, container } = render(<Timestamp value={undefined} />);
    expect(container.textContent).toBe('—');
    rerender(<Timestamp value="" fallback="Never" />);
    expect(container.textContent).toBe('Never');
    rerender(<Timestamp value="not a time" />);
    expect(container.textContent).toBe('not a time');
    expect(container.querySelector('time')).toBeNull();
  });
});
