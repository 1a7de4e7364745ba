import { render, screen } from '@testing-library/react';
import {
  QualityStatusBadge,
  qualityStatusColors,
  qualityStatusLabel,
} from './quality';

describe('QualityStatusBadge', () => {
  it('shows the status with the rounded score and what the status means on hover', () => {
    render(<QualityStatusBadge status="degraded" score={87.6} />);
    const chip = screen.getByText('Degraded · 88').closest('[title]');
    expect(chip).toHaveAttribute(
      'title',
      'Quality degraded: a warning rule failed or a rule warned',
    );
  });

  it('shows no score when there is none', () => {
    render(<QualityStatusBadge status="unknown" score={null} />);
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });

  it('never colours an unknown or unexpected status as healthy', () => {
    const healthy = qualityStatusColors('healthy');
    expect(qualityStatusColors('unknown')).not.toEqual(healthy);
    expect(qualityStatusColors('something-new')).toEqual(
      qualityStatusColors('unknown'),
    );
    expect(qualityStatusLabel('something-new')).toBe('Unknown');
  });
});
