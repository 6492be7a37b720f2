import { describe, expect, it } from 'vitest';
import { ecsNativePlan } from '../../shared/platforms/ecs-plan.js';

describe('ecsNativePlan: steps → ECS native strategy', () => {
  it('one step then the rest is CANARY; equal steps are LINEAR (the last capped at 100)', () => {
    expect(ecsNativePlan([10, 100])).toEqual({ strategy: 'CANARY', canaryPercent: 10 });
    expect(ecsNativePlan([50, 100])).toEqual({ strategy: 'CANARY', canaryPercent: 50 });
    expect(ecsNativePlan([25, 50, 75, 100])).toEqual({ strategy: 'LINEAR', stepPercent: 25 });
    expect(ecsNativePlan([30, 60, 90, 100])).toEqual({ strategy: 'LINEAR', stepPercent: 30 });
    expect(ecsNativePlan([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63, 66, 69, 72, 75, 78, 81, 84, 87, 90, 93, 96, 99, 100])).toEqual({ strategy: 'LINEAR', stepPercent: 3 });
  });

  it('refuses what ECS cannot run, pointing at ecs-alb', () => {
    expect(() => ecsNativePlan([5, 25, 50, 100])).toThrow(/5,25,50,100 are not equal steps\. .*use platform: ecs-alb/);
    expect(() => ecsNativePlan([100])).toThrow(/moves all traffic at once/);
    expect(() => ecsNativePlan([2, 4, 6, 100])).toThrow(/not equal steps/);
    expect(() => ecsNativePlan([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100])).toThrow(/less than ECS's 3% minimum/);
    expect(() => ecsNativePlan([25, 50, 100])).toThrow(/not equal steps/);
  });
});
