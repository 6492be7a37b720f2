export const id = 666;
export const ids = [666];
export const modules = {

/***/ 82666:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEcsNativePlatform: () => (/* binding */ createEcsNativePlatform)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46677);
/* harmony import */ var _ecs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(68140);
/* harmony import */ var _ecs_plan_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(11858);



const short = (arn) => (arn ? arn.split('/').pop() : '?');
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);
/** The canary's share of production traffic in a deployment. */
function weightOf(d) {
    if (d.status === 'SUCCESSFUL')
        return 100;
    if (!IN_FLIGHT.has(d.status ?? ''))
        return 0;
    return d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
}
class EcsNativePlatform {
    o;
    name = 'ecs';
    driver = 'platform';
    ecs;
    log;
    canary;
    constructor(o, hooks) {
        this.o = o;
        this.log = hooks.log ?? (() => { });
        this.ecs = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__.createEcsDeployments)({ ...o, hookTimeoutMs: o.timeoutMs, configure: (current) => this.configure(current) });
    }
    plan(steps) {
        try {
            (0,_ecs_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .ecsNativePlan */ .O)(steps);
        }
        catch (error) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' does not fit ECS native deployments: ${error.message}`, { input: 'steps' });
        }
        return steps;
    }
    /** The service's deploymentConfiguration with our plan and hook written in; undefined when it has them already. */
    configure(current) {
        const plan = (0,_ecs_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .ecsNativePlan */ .O)(this.o.steps);
        // ECS's own step bake fits inside a step's analysis, so ECS then waits at the hook for the verdict.
        const bake = Math.floor(this.o.stepDurationMs / 60_000);
        const { canaryConfiguration: _c, linearConfiguration: _l, ...rest } = current ?? {};
        const next = {
            ...rest,
            strategy: plan.strategy,
            ...(plan.strategy === 'CANARY'
                ? { canaryConfiguration: { canaryPercent: plan.canaryPercent, canaryBakeTimeInMinutes: bake } }
                : { linearConfiguration: { stepPercent: plan.stepPercent, stepBakeTimeInMinutes: bake } }),
            // The bake after 100 % stays the service's own; a service without one gets one step's worth.
            bakeTimeInMinutes: current?.bakeTimeInMinutes ?? Math.max(1, Math.ceil(this.o.stepDurationMs / 60_000)),
        };
        const configuration = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .withPauseHook */ .aF)(next, 'PRE_PRODUCTION_TRAFFIC_SHIFT', this.o.timeoutMs) ?? next;
        const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
        if (current?.strategy === configuration.strategy &&
            same(current?.canaryConfiguration, configuration.canaryConfiguration) &&
            same(current?.linearConfiguration, configuration.linearConfiguration) &&
            (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .pauseHookAt */ .tZ)(current, 'PRE_PRODUCTION_TRAFFIC_SHIFT')) {
            return undefined;
        }
        const shape = plan.strategy === 'CANARY' ? `CANARY ${plan.canaryPercent}% then the rest` : `LINEAR ${plan.stepPercent}% a step`;
        const hook = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .pauseHookAt */ .tZ)(configuration, 'PRE_PRODUCTION_TRAFFIC_SHIFT');
        return {
            configuration,
            note: `Wrote the steps into ${this.o.service}'s deployment configuration: ${shape}, bake ${bake} min a step; PAUSE lifecycle hook at PRE_PRODUCTION_TRAFFIC_SHIFT (ECS holds before every production step until Gantry's verdict; rolls back by itself after ${hook.timeoutConfiguration?.timeoutInMinutes ?? 1440} min without one)`,
        };
    }
    arn() {
        const arn = this.canary?.details.serviceDeploymentArn;
        if (typeof arn !== 'string' || !arn)
            throw new Error('no ECS service deployment: prepare() or resume() first');
        return arn;
    }
    toProgress(d) {
        const weight = weightOf(d);
        const held = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(d);
        const alarms = d.alarms?.alarmNames?.map((name) => ({ name, state: d.alarms?.triggeredAlarmNames?.includes(name) ? 'ALARM' : 'OK' }));
        return {
            at: Date.now(),
            stage: `${d.lifecycleStage ?? d.status}${held ? ' (held at the PAUSE hook)' : ''}`,
            canaryWeight: weight,
            ...(alarms?.length ? { alarms } : {}),
            detail: `ECS deployment ${short(d.serviceDeploymentArn)} ${d.status}: stable ${100 - weight}% / canary ${weight}%`,
        };
    }
    async progress(options) {
        return this.toProgress(await this.ecs.describeDeployment(this.arn(), options.signal));
    }
    async prepare(options) {
        const candidate = await this.ecs.createCandidate(options);
        const details = candidate.details ?? {};
        if (details.unchanged === 'true')
            throw new Error(`${this.o.service} already runs ${candidate.id}: there is nothing to roll out as a canary`);
        const arn = details.serviceDeploymentArn;
        this.canary = {
            id: candidate.id,
            stableId: details.previousTaskDefinition,
            details: { cluster: this.o.cluster, service: this.o.service, serviceDeploymentArn: arn, taskDefinition: candidate.id, stableTaskDefinition: details.previousTaskDefinition },
        };
        // The new tasks start and take test traffic; ECS then holds before the first production step.
        await this.ecs.follow(arn, `${this.o.service} to be held before its first production step`, (d) => !!(0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(d) || d.status === 'SUCCESSFUL', options);
        return this.canary;
    }
    async resume(details, options) {
        if (details.service !== this.o.service || details.cluster !== this.o.cluster) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`the paused rollout is of service ${details.service} in cluster ${details.cluster}: give the same cluster and service`, { input: 'service' });
        }
        this.canary = { id: String(details.taskDefinition ?? ''), stableId: details.stableTaskDefinition ? String(details.stableTaskDefinition) : undefined, details };
        const d = await this.ecs.describeDeployment(this.arn(), options.signal);
        if (!IN_FLIGHT.has(d.status ?? ''))
            throw new Error(`the paused rollout's ECS deployment ${short(d.serviceDeploymentArn)} is ${d.status}${d.statusReason ? ` (${d.statusReason})` : ''}: start a new rollout`);
        return this.canary;
    }
    async setWeight(weight, options) {
        const arn = this.arn();
        const now = await this.ecs.describeDeployment(arn, options.signal);
        if (weightOf(now) >= weight)
            return this.toProgress(now);
        // ECS bakes the step before, then holds at the hook: let it take its next step.
        const held = await this.ecs.follow(arn, `ECS to hold before its next production step (${weight}%)`, (d) => !!(0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(d) || d.status === 'SUCCESSFUL', options);
        const hook = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(held);
        if (hook?.hookId && (await this.ecs.answerHook(arn, hook.hookId, 'CONTINUE', options.signal))) {
            this.log(`ECS deployment ${short(arn)}: step to ${weight}% let go (ContinueServiceDeployment CONTINUE)`);
        }
        return this.waitForWeight(weight, options);
    }
    async waitForWeight(weight, options) {
        const d = await this.ecs.follow(this.arn(), `${weight}% of production traffic on the canary`, (x) => weightOf(x) >= weight, options);
        return this.toProgress(d);
    }
    async abort(reason, options) {
        const canary = this.canary;
        if (!canary)
            throw new Error('abort() before prepare() or resume()');
        // In flight: rolled back through the hook (or stopped with a rollback) and followed until ECS
        // says ROLLBACK_SUCCESSFUL; already completed: the stable task definition deployed again.
        await this.ecs.rollback(canary.stableId ? { id: canary.stableId } : undefined, { id: canary.id, details: { serviceDeploymentArn: this.arn(), ...(canary.stableId ? { previousTaskDefinition: canary.stableId } : {}) } }, { ...options, reason });
        const d = await this.ecs.describeDeployment(this.arn(), options.signal);
        const p = this.toProgress(d);
        return { ...p, canaryWeight: d.status === 'SUCCESSFUL' ? 0 : p.canaryWeight, detail: `${p.detail}${d.alarms?.triggeredAlarmNames?.length ? ` · ECS acted on alarm(s) ${d.alarms.triggeredAlarmNames.join(', ')}` : ''}` };
    }
    async complete(options) {
        const arn = this.arn();
        const d = await this.ecs.follow(arn, `ECS to complete the deployment of ${this.o.service} (its bake)`, (x) => x.status === 'SUCCESSFUL' || !!(0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(x), options);
        const hook = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_1__/* .awaitingHook */ .ob)(d);
        if (hook?.hookId)
            await this.ecs.answerHook(arn, hook.hookId, 'CONTINUE', options.signal);
        const done = hook ? await this.ecs.follow(arn, `ECS to complete the deployment of ${this.o.service}`, (x) => x.status === 'SUCCESSFUL', options) : d;
        return { ...this.toProgress(done), stage: 'promoted', detail: `${this.o.service} runs ${this.canary?.id.split('/').pop()}` };
    }
}
function createEcsNativePlatform(options, hooks = {}) {
    return new EcsNativePlatform(options, hooks);
}


/***/ })

};
