/**
 * Which of ECS's native progressive strategies runs a `steps` plan (pure: no SDK, so reading the
 * inputs can check it before anything is contacted). ECS shifts production in two shapes only:
 * CANARY — one step, a bake, then the rest (`10,100`) — and LINEAR — equal steps, a bake after
 * each (`25,50,75,100`; at least 3 % a step). Anything else needs Gantry to set the weights itself
 * on an ALB (platform ecs-alb).
 */
export type EcsNativePlan = { strategy: 'CANARY'; canaryPercent: number } | { strategy: 'LINEAR'; stepPercent: number };

export function ecsNativePlan(steps: number[]): EcsNativePlan {
  const refuse = (why: string) =>
    new Error(
      `${steps.join(',')} ${why}. ECS runs CANARY (one step, then the rest: e.g. 10,100) or LINEAR (equal steps of at least 3%: e.g. 25,50,75,100); for any other steps use platform: ecs-alb (ECS behind an ALB with two target groups, Gantry setting the weights)`,
    );
  if (steps.length < 2) throw refuse('moves all traffic at once');
  const first = steps[0]!;
  if (steps.length === 2) return { strategy: 'CANARY', canaryPercent: first };
  const equal = steps.every((w, i) => (i === steps.length - 1 ? w === 100 && first * i < 100 && first * (i + 1) >= 100 : w === first * (i + 1)));
  if (!equal) throw refuse('are not equal steps');
  if (first < 3) throw refuse(`moves ${first}% a step, less than ECS's 3% minimum for LINEAR`);
  return { strategy: 'LINEAR', stepPercent: first };
}
