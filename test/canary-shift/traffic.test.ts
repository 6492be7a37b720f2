/** The traffic interface's plan parsing and platform registry. */
import { describe, expect, it } from 'vitest';
import { createTrafficPlatform, parseSteps, registerTrafficPlatform, trafficPlatforms, type TrafficPlatform } from '../../shared/platforms/traffic.js';

describe('parseSteps', () => {
  it('reads weights and pauses, adding 100 when missing', () => {
    expect(parseSteps(['5', '25', '50', '100'])).toEqual([5, 25, 50, 100]);
    expect(parseSteps(['5', 'pause', '50%'])).toEqual([5, 'pause', 50, 100]);
    expect(parseSteps(['PAUSE', '100'])).toEqual(['pause', 100]);
  });

  it('refuses weights that do not go up, are out of range, or are not numbers', () => {
    expect(() => parseSteps(['50', '25'])).toThrow('25 comes after 50: weights must go up');
    expect(() => parseSteps(['5', '5'])).toThrow(/must go up/);
    expect(() => parseSteps(['0'])).toThrow(/not a weight/);
    expect(() => parseSteps(['101'])).toThrow(/not a weight/);
    expect(() => parseSteps(['ten'])).toThrow(/not a weight/);
    expect(() => parseSteps([])).toThrow(/at least one weight/);
  });
});

describe('registry', () => {
  it('knows ecs-alb, vercel and ecs, and takes new platforms without changing a union', async () => {
    expect(trafficPlatforms()).toEqual(expect.arrayContaining(['ecs-alb', 'vercel', 'ecs']));
    const fake = { name: 'fake', driver: 'platform' } as unknown as TrafficPlatform;
    registerTrafficPlatform<{ x: number }>('fake', async (options) => ({ ...fake, options }) as unknown as TrafficPlatform);
    expect(await createTrafficPlatform('fake', { x: 1 })).toMatchObject({ name: 'fake', driver: 'platform', options: { x: 1 } });
    await expect(createTrafficPlatform('nope', {})).rejects.toThrow(/no traffic platform "nope" \(known: ecs-alb, [^)]*\bfake\)/);
  });
});
