export const id = 228;
export const ids = [228];
export const modules = {

/***/ 67228:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEcsAlbPlatform: () => (/* binding */ createEcsAlbPlatform)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(50586);
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(80212);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46677);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89563);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(80292);
/* harmony import */ var _ecs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(68140);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2800);
/* harmony import */ var _core_context_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(58367);
/**
 * ECS behind an Application Load Balancer with two target groups, Gantry driving the steps:
 * one listener rule forwards to a stable and a canary target group, and each step is a
 * ModifyRule of the two weights. The canary service gets the new task definition and is waited
 * on — its ECS deployment completed and every target in the canary group healthy — before it
 * gets any weight. Abort puts the weights back on stable first, then scales the canary down.
 * Completing (Flagger's promotion) rolls the new task definition out to the stable service,
 * waits for its targets, moves all traffic back to the stable group and scales the canary down,
 * so the next release starts from the same layout.
 *
 * Reads go through the SDKs' own retries (throttling, 5xx). A weight change is retried by us,
 * re-reading the rule first: a ModifyRule that failed after it took effect is never sent twice.
 */








class EcsAlbPlatform {
    o;
    name = 'ecs-alb';
    driver = 'gantry';
    elb;
    elbWrite;
    ecs;
    log;
    canary;
    constructor(o, hooks) {
        this.o = o;
        this.elb = new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__/* .ElasticLoadBalancingV2Client */ .MlD((0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .awsClientConfig */ .rw)({ region: o.region, maxAttempts: 6 }));
        // Weight changes are not retried blindly by the SDK: see setWeight.
        this.elbWrite = new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__/* .ElasticLoadBalancingV2Client */ .MlD((0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .awsClientConfig */ .rw)({ region: o.region, maxAttempts: 1 }));
        this.ecs = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_3__/* .ecsClient */ .br)({ region: o.region, maxAttempts: 6 });
        this.log = hooks.log ?? (() => { });
    }
    plan(steps) {
        return steps; // any weights 0–100 fit a forward action
    }
    // ── AWS calls with errors a person can act on ─────────────────────────────
    async call(what, send, signal) {
        if (signal.aborted)
            throw (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .abortReason */ .Js)(signal);
        try {
            return await send(signal);
        }
        catch (error) {
            if (signal.aborted)
                throw (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .abortReason */ .Js)(signal);
            const name = (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .awsErrorName */ .ZH)(error);
            if (name === 'CredentialsProviderError')
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1('no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
            if (name === 'RuleNotFoundException' || name === 'RuleNotFound')
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
            if (name === 'ClusterNotFoundException')
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`cluster: ECS has no cluster "${this.o.cluster}" in ${this.o.region}`, { input: 'cluster' });
            if (name === 'ServiceNotFoundException')
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`service / canary-service: the cluster ${this.o.cluster} has no such active service`, { input: 'canary-service' });
            if (name === 'AccessDeniedException' || name === 'AccessDenied')
                throw new Error(`AWS denied ${what}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`, { cause: error });
            const wrapped = new Error(`${what} failed: ${name && !(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error).startsWith(name) ? `${name}: ` : ''}${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`, { cause: error });
            Object.assign(wrapped, { $retryable: (0,_aws_js__WEBPACK_IMPORTED_MODULE_2__/* .retryableAws */ ._h)(error) });
            throw wrapped;
        }
    }
    async rule(signal) {
        const out = await this.call('elasticloadbalancing:DescribeRules', (abortSignal) => this.elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__/* .DescribeRulesCommand */ .Ggo({ RuleArns: [this.o.listenerRuleArn] }), { abortSignal }), signal);
        const rule = out.Rules?.[0];
        if (!rule)
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
        return rule;
    }
    /** The canary's weight in percent, checking the rule forwards to exactly our two groups. */
    weightOf(rule) {
        const forward = rule.Actions?.filter((a) => a.Type === 'forward') ?? [];
        const groups = forward[0]?.ForwardConfig?.TargetGroups ?? (forward[0]?.TargetGroupArn ? [{ TargetGroupArn: forward[0].TargetGroupArn, Weight: 1 }] : []);
        const weight = (arn) => groups.find((g) => g.TargetGroupArn === arn)?.Weight;
        const stable = weight(this.o.stableTargetGroupArn);
        const canary = weight(this.o.canaryTargetGroupArn) ?? 0;
        if (forward.length !== 1 || stable === undefined || groups.some((g) => g.TargetGroupArn !== this.o.stableTargetGroupArn && g.TargetGroupArn !== this.o.canaryTargetGroupArn)) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`listener-rule-arn: the rule must have one forward action over stable-target-group-arn and canary-target-group-arn (it forwards to ${groups.map((g) => g.TargetGroupArn).join(', ') || 'nothing'})`, { input: 'listener-rule-arn' });
        }
        const total = (stable ?? 0) + canary;
        return total === 0 ? 0 : Math.round((canary / total) * 100);
    }
    async progress(options) {
        const weight = this.weightOf(await this.rule(options.signal));
        return { at: Date.now(), stage: 'weights', canaryWeight: weight, detail: `stable ${100 - weight}% / canary ${weight}%` };
    }
    async service(name, signal) {
        const out = await this.call('ecs:DescribeServices', (abortSignal) => this.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__/* .DescribeServicesCommand */ .H7c({ cluster: this.o.cluster, services: [name] }), { abortSignal }), signal);
        const s = out.services?.[0];
        if (!s || s.status !== 'ACTIVE') {
            const input = name === this.o.service ? 'service' : 'canary-service';
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${input}: the cluster ${this.o.cluster} has no active service "${name}"`, { input });
        }
        return s;
    }
    async newTaskDefinition(stable, signal) {
        const { taskDefinition, containerName, image } = this.o;
        const source = taskDefinition ? (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_4__/* .resolveTaskDefinition */ .F)(taskDefinition, (0,_core_context_js__WEBPACK_IMPORTED_MODULE_7__/* .context */ ._)().workspace) : undefined;
        if (source?.kind === 'registered' && !(containerName && image))
            return source.reference;
        let td;
        if (source?.kind === 'file')
            td = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_3__/* .readTaskDefinitionFile */ .BD)(source.path, source.shown);
        else {
            const from = source?.reference ?? stable.taskDefinition;
            const out = await this.call('ecs:DescribeTaskDefinition', (abortSignal) => this.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__/* .DescribeTaskDefinitionCommand */ .Zy$({ taskDefinition: from, include: ['TAGS'] }), { abortSignal }), signal);
            td = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_3__/* .registrable */ .ZV)(out.taskDefinition, out.tags);
        }
        if (containerName && image)
            td = (0,_ecs_js__WEBPACK_IMPORTED_MODULE_3__/* .patchImage */ .k4)(td, containerName, image);
        const out = await this.call('ecs:RegisterTaskDefinition', (abortSignal) => this.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__/* .RegisterTaskDefinitionCommand */ .$Hl(td), { abortSignal }), signal);
        this.log(`Registered ${out.taskDefinition.taskDefinitionArn}`);
        return out.taskDefinition.taskDefinitionArn;
    }
    async rollOut(serviceName, taskDefinition, desiredCount, options) {
        await this.call('ecs:UpdateService', (abortSignal) => this.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__/* .UpdateServiceCommand */ .kZr({ cluster: this.o.cluster, service: serviceName, taskDefinition, ...(desiredCount === undefined ? {} : { desiredCount }) }), { abortSignal }), options.signal);
        this.log(`${serviceName}: rolling out ${taskDefinition.split('/').pop()}`);
        await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            const s = await this.service(serviceName, options.signal);
            const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
            if (primary?.taskDefinition !== taskDefinition)
                return undefined;
            if (primary.rolloutState === 'FAILED')
                throw new Error(`ECS could not roll ${taskDefinition} out to ${serviceName}: ${primary.rolloutStateReason ?? 'deployment failed'}`);
            return primary.rolloutState === 'COMPLETED' ? true : undefined;
        }, { timeoutMs: options.deadline - Date.now(), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `${serviceName} to run ${taskDefinition.split('/').pop()}` });
    }
    async waitHealthy(targetGroupArn, options) {
        let last = '';
        await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            const out = await this.call('elasticloadbalancing:DescribeTargetHealth', (abortSignal) => this.elb.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__/* .DescribeTargetHealthCommand */ .qyg({ TargetGroupArn: targetGroupArn }), { abortSignal }), options.signal);
            const states = (out.TargetHealthDescriptions ?? []).map((t) => t.TargetHealth?.State ?? 'unknown');
            const line = states.length ? `${states.filter((s) => s === 'healthy').length}/${states.length} targets healthy` : 'no targets registered';
            if (line !== last)
                this.log(`${targetGroupArn.split(':').pop()}: ${(last = line)}`);
            return states.length > 0 && states.every((s) => s === 'healthy') ? true : undefined;
        }, { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `the targets of ${targetGroupArn.split(':').pop()} to be healthy (last: ${last || 'not asked yet'})` }).catch((error) => {
            if (error.name === 'TimeoutError')
                error.message = error.message.replace(/\(last: [^)]*\)/, `(last: ${last})`);
            throw error;
        });
    }
    async prepare(options) {
        // Check the rule before changing anything.
        const before = this.weightOf(await this.rule(options.signal));
        if (before !== 0)
            this.log(`The canary group already has ${before}% of the traffic (an earlier rollout?): it is prepared again from 0.`);
        const [stable, canary] = await Promise.all([this.service(this.o.service, options.signal), this.service(this.o.canaryService, options.signal)]);
        if (before !== 0)
            await this.setWeight(0, options);
        const taskDefinition = await this.newTaskDefinition(stable, options.signal);
        await this.rollOut(this.o.canaryService, taskDefinition, canary.desiredCount ? undefined : Math.max(1, stable.desiredCount ?? 1), options);
        await this.waitHealthy(this.o.canaryTargetGroupArn, options);
        this.canary = {
            id: taskDefinition,
            stableId: stable.taskDefinition,
            details: { cluster: this.o.cluster, service: this.o.service, canaryService: this.o.canaryService, listenerRuleArn: this.o.listenerRuleArn, taskDefinition, stableTaskDefinition: stable.taskDefinition, desiredCount: stable.desiredCount ?? 1 },
        };
        return this.canary;
    }
    async resume(details, options) {
        const taskDefinition = String(details.taskDefinition ?? '');
        if (details.listenerRuleArn !== this.o.listenerRuleArn || details.canaryService !== this.o.canaryService) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`the paused rollout used listener rule ${details.listenerRuleArn} and canary service ${details.canaryService}: give the same listener-rule-arn and canary-service`, { input: 'listener-rule-arn' });
        }
        const canary = await this.service(this.o.canaryService, options.signal);
        if (canary.taskDefinition !== taskDefinition)
            throw new Error(`the canary service now runs ${canary.taskDefinition}, not the paused rollout's ${taskDefinition}: start a new rollout`);
        this.canary = { id: taskDefinition, stableId: String(details.stableTaskDefinition ?? ''), details };
        return this.canary;
    }
    async setWeight(weight, options) {
        const w = Math.round(weight);
        await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L5)(async (attempt) => {
            // Re-read before every try: a change that took effect before a fault is not sent again.
            if (this.weightOf(await this.rule(options.signal)) === w) {
                if (attempt > 1)
                    this.log(`Weights were already ${100 - w}/${w}: not sent again`);
                return;
            }
            await this.call('elasticloadbalancing:ModifyRule', (abortSignal) => this.elbWrite.send(new _aws_sdk_client_elastic_load_balancing_v2__WEBPACK_IMPORTED_MODULE_5__/* .ModifyRuleCommand */ .y5P({
                RuleArn: this.o.listenerRuleArn,
                Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: this.o.stableTargetGroupArn, Weight: 100 - w }, { TargetGroupArn: this.o.canaryTargetGroupArn, Weight: w }] } }],
            }), { abortSignal }), options.signal);
        }, {
            attempts: this.o.writeAttempts ?? 5,
            baseDelayMs: this.o.retryBaseMs ?? 300,
            maxDelayMs: 5_000,
            signal: options.signal,
            retryable: (e) => e.$retryable === true,
            onRetry: ({ delayMs, error }) => this.log(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}; checking the rule and trying again in ${delayMs}ms`),
        });
        return this.waitForWeight(w, options);
    }
    async waitForWeight(weight, options) {
        return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            const p = await this.progress(options);
            return p.canaryWeight === weight ? p : undefined;
        }, { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `canary weight ${weight}%` });
    }
    async abort(reason, options) {
        const p = await this.setWeight(0, options);
        this.log(`All traffic back on stable (${reason})`);
        await this.scaleDownCanary(options);
        return p;
    }
    async scaleDownCanary(options) {
        try {
            await this.call('ecs:UpdateService', (abortSignal) => this.ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_6__/* .UpdateServiceCommand */ .kZr({ cluster: this.o.cluster, service: this.o.canaryService, desiredCount: 0 }), { abortSignal }), options.signal);
            this.log(`${this.o.canaryService}: scaled down to 0`);
        }
        catch (error) {
            this.log(`Could not scale ${this.o.canaryService} down (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}); traffic is on stable, scale it down by hand`);
        }
    }
    async complete(options) {
        const canary = this.canary;
        if (!canary)
            throw new Error('complete() before prepare() or resume()');
        await this.setWeight(100, options);
        await this.rollOut(this.o.service, canary.id, undefined, options);
        await this.waitHealthy(this.o.stableTargetGroupArn, options);
        const p = await this.setWeight(0, options);
        this.log(`${this.o.service} runs ${canary.id.split('/').pop()}; all traffic on the stable group again`);
        await this.scaleDownCanary(options);
        return { ...p, stage: 'promoted', canaryWeight: 100, detail: `stable runs ${canary.id}` };
    }
}
function createEcsAlbPlatform(options, hooks = {}) {
    return new EcsAlbPlatform(options, hooks);
}


/***/ })

};
