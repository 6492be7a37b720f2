export const id = 256;
export const ids = [256];
export const modules = {

/***/ 9256:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsAlbPlatform: () => (/* binding */ createEcsAlbPlatform)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-elastic-load-balancing-v2/dist-cjs/index.js
var dist_cjs = __webpack_require__(50586);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(80212);
// EXTERNAL MODULE: ./shared/core/errors.ts
var errors = __webpack_require__(46677);
// EXTERNAL MODULE: ./shared/core/net.ts
var net = __webpack_require__(89563);
// EXTERNAL MODULE: ./shared/core/secrets.ts
var secrets = __webpack_require__(40541);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./shared/core/log.ts
var core_log = __webpack_require__(77046);
// EXTERNAL MODULE: ./shared/platforms/task-definition.ts
var task_definition = __webpack_require__(2800);
;// CONCATENATED MODULE: ./shared/platforms/ecs.ts
/**
 * AWS ECS behind the Platform interface, on ECS's own deployment machinery: a service whose
 * `deploymentConfiguration.strategy` is BLUE_GREEN (or CANARY / LINEAR) moves test and then
 * production traffic itself and bakes; ROLLING services replace tasks. We register the task
 * definition revision, send a minimal UpdateService, and follow the service deployment through
 * ListServiceDeployments / DescribeServiceDeployments (the SDK has no waiter for it), polling
 * every 0.5–1 s so readiness is noticed within about a second.
 *
 * Any ROLLBACK_*, STOPPED or STOP_REQUESTED status is a failure carrying ECS's statusReason.
 * Cancellation (the AbortSignal) while a deployment is in flight stops it with a rollback.
 */









const SEND_FAILED = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'STOP_REQUESTED']);
const IN_FLIGHT = (/* unused pure expression or super */ null && (['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']));
const SETTLED = new Set(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);
const STAGES = (/* unused pure expression or super */ null && ([
    'RECONCILE_SERVICE',
    'PRE_SCALE_UP',
    'SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT',
    'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME',
    'CLEAN_UP',
]));
const stageIndex = (stage) => (stage ? STAGES.indexOf(stage) : -1);
/** Fields RegisterTaskDefinition accepts; everything DescribeTaskDefinition adds on top is read-only. */
const REGISTER_FIELDS = [
    'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes', 'placementConstraints',
    'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators',
    'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
];
const READ_ONLY_FIELDS = new Set([
    'taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy',
    'deregisteredAt', 'deleteRequestedAt',
]);
/** A service deployment that ECS failed, rolled back or stopped. */
class EcsDeploymentError extends Error {
    serviceDeploymentArn;
    status;
    statusReason;
    name = 'EcsDeploymentError';
    constructor(message, serviceDeploymentArn, status, statusReason) {
        super(message);
        this.serviceDeploymentArn = serviceDeploymentArn;
        this.status = status;
        this.statusReason = statusReason;
    }
}
const ecs_short = (arn) => (arn ? arn.split('/').pop() : '?');
const shortTd = (arn) => (arn ? arn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '') : '?');
function lineOf(text, needle, from = 0) {
    const index = text.indexOf(needle, Math.max(0, from));
    if (index < 0)
        return undefined;
    return text.slice(0, index).split('\n').length;
}
function jsonErrorLine(text, error) {
    const message = (0,errors/* errorMessage */.gJ)(error);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc)
        return { line: Number(lc[1]), column: Number(lc[2]) };
    const pos = /at position (\d+)/.exec(message);
    if (pos) {
        const before = text.slice(0, Number(pos[1])).split('\n');
        return { line: before.length, column: before.at(-1).length + 1 };
    }
    // Messages like "Unexpected token 'x'" carry no position: ask a parser that reports one.
    const doc = (0,dist/* parseDocument */.Tp)(text, { prettyErrors: false });
    const at = doc.errors[0]?.linePos?.[0];
    if (at)
        return { line: at.line, column: at.col };
    if (/end of JSON input/.test(message))
        return { line: text.split('\n').length };
    return {};
}
/**
 * Reads and checks a task definition file: JSON, an object with a family and containers that each
 * have a name and an image. Accepts `aws ecs describe-task-definition` output (read-only fields
 * and the `taskDefinition` wrapper are dropped). Mistakes are ConfigurationErrors with file and line.
 */
function readTaskDefinitionFile(path, shownPath = path) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new errors/* ConfigurationError */.j1(code === 'ENOENT'
            ? `task-definition: no file ${shownPath}. Give a task definition JSON file (relative to the workspace) or a task definition ARN.`
            : `task-definition: cannot read ${shownPath} (${code ?? (0,errors/* errorMessage */.gJ)(error)})`, { input: 'task-definition' });
    }
    const at = (line, column) => ({ file: shownPath, line, column, input: 'task-definition' });
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        const { line, column } = jsonErrorLine(text, error);
        throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: not valid JSON (${(0,errors/* errorMessage */.gJ)(error)})`, at(line, column));
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'taskDefinition' in parsed && Object.keys(parsed).every((k) => k === 'taskDefinition' || k === 'tags')) {
        const wrapper = parsed;
        parsed = { ...wrapper.taskDefinition, ...(Array.isArray(wrapper.tags) && wrapper.tags.length ? { tags: wrapper.tags } : {}) };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new errors/* ConfigurationError */.j1(`${shownPath}: a task definition is a JSON object with "family" and "containerDefinitions"`, at(1));
    }
    const td = {};
    const allowed = new Set(REGISTER_FIELDS);
    for (const [key, value] of Object.entries(parsed)) {
        if (READ_ONLY_FIELDS.has(key))
            continue;
        if (!allowed.has(key)) {
            const line = lineOf(text, `"${key}"`);
            throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: "${key}" is not a task definition field RegisterTaskDefinition accepts (known: ${REGISTER_FIELDS.join(', ')})`, at(line));
        }
        td[key] = value;
    }
    if (typeof td.family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(td.family)) {
        const line = lineOf(text, '"family"');
        throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: "family" must be a name of letters, digits, "-" and "_" (up to 255)${td.family === undefined ? ', and it is missing' : ''}`, at(line ?? 1));
    }
    const containers = td.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
        const line = lineOf(text, '"containerDefinitions"');
        throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: "containerDefinitions" must be a non-empty list of containers`, at(line ?? 1));
    }
    const seen = new Set();
    let searchFrom = text.indexOf('"containerDefinitions"');
    containers.forEach((c, i) => {
        const name = c && typeof c === 'object' ? c.name : undefined;
        const image = c && typeof c === 'object' ? c.image : undefined;
        const nameAt = typeof name === 'string' ? text.indexOf(JSON.stringify(name), searchFrom) : -1;
        const line = nameAt >= 0 ? lineOf(text, JSON.stringify(name), searchFrom) : lineOf(text, '"containerDefinitions"');
        if (nameAt >= 0)
            searchFrom = nameAt + 1;
        if (typeof name !== 'string' || !name) {
            throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: container #${i + 1} needs a "name"`, at(line));
        }
        if (seen.has(name))
            throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: two containers are named "${name}"`, at(line));
        seen.add(name);
        if (typeof image !== 'string' || !image.trim()) {
            throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: container "${name}" needs an "image"`, at(line));
        }
    });
    for (const key of ['cpu', 'memory']) {
        if (typeof td[key] === 'number')
            td[key] = String(td[key]);
        else if (td[key] !== undefined && typeof td[key] !== 'string') {
            const line = lineOf(text, `"${key}"`);
            throw new errors/* ConfigurationError */.j1(`${shownPath}${line ? `:${line}` : ''}: "${key}" must be a string such as "512"`, at(line));
        }
    }
    return td;
}
/** The current task definition, made registrable again: read-only fields and AWS-owned tags dropped. */
function registrable(td, tags) {
    const out = {};
    for (const key of REGISTER_FIELDS) {
        const value = td[key];
        if (value !== undefined && value !== null)
            out[key] = structuredClone(value);
    }
    const own = (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:'));
    if (own.length)
        out.tags = own;
    return out;
}
function patchImage(td, containerName, image) {
    const containers = td.containerDefinitions ?? [];
    const container = containers.find((c) => c.name === containerName);
    if (!container) {
        throw new errors/* ConfigurationError */.j1(`container-name: the task definition ${td.family} has no container "${containerName}" (it has: ${containers.map((c) => c.name).join(', ') || 'none'})`, { input: 'container-name' });
    }
    container.image = image;
    return td;
}
function errorName(error) {
    return error?.name ?? '';
}
function retryableAwsError(error) {
    const e = error;
    if (e?.$retryable)
        return true;
    const status = e?.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500))
        return true;
    if (/Throttl|TooManyRequests|RequestLimitExceeded|ServerException|ServiceUnavailable|TimeoutError/.test(e?.name ?? ''))
        return true;
    return isTransient(error);
}
function createEcsPlatform(options) {
    return new EcsPlatform(options);
}
class EcsPlatform {
    options;
    name = 'ecs';
    client;
    tracked = new Map();
    pollMs;
    maxPollMs;
    graceMs;
    fromFile;
    constructor(options) {
        this.options = options;
        // Credentials come from the environment (configure-aws-credentials); never let them reach a log.
        registerSecret(process.env.AWS_SECRET_ACCESS_KEY);
        registerSecret(process.env.AWS_SESSION_TOKEN);
        this.client =
            options.client ??
                new ECSClient({
                    region: options.region,
                    maxAttempts: options.maxAttempts ?? 8,
                    retryMode: 'standard',
                    requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 15_000, throwOnRequestTimeout: true },
                });
        this.pollMs = options.pollIntervalMs ?? 500;
        this.maxPollMs = options.maxPollIntervalMs ?? 1_000;
        this.graceMs = options.cancelGraceMs ?? 6_000;
        // A bad file fails here, when the action builds the platform: before any request.
        this.fromFile = this.checkInputs();
    }
    // ── API calls ─────────────────────────────────────────────────────────────
    async call(operation, send, signal) {
        if (signal?.aborted)
            throw abortReason(signal);
        try {
            return await send(signal);
        }
        catch (error) {
            if (signal?.aborted)
                throw abortReason(signal);
            const name = errorName(error);
            const message = errorMessage(error);
            if (name === 'ClusterNotFoundException') {
                throw new ConfigurationError(`cluster: ECS has no cluster "${this.options.cluster}" in ${this.options.region}`, { input: 'cluster' });
            }
            if (name === 'ServiceNotFoundException') {
                throw new ConfigurationError(`service: the cluster ${this.options.cluster} has no active service "${this.options.service}"`, { input: 'service' });
            }
            if (name === 'CredentialsProviderError') {
                throw new ConfigurationError('no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
            }
            if (name === 'AccessDeniedException')
                throw new Error(`AWS denied ecs:${operation}: ${message}. The role needs ecs:${operation}.`, { cause: error });
            const wrapped = new Error(`ECS ${operation} failed: ${name && !message.startsWith(name) ? `${name}: ` : ''}${message}`, { cause: error });
            wrapped.awsName = name;
            throw wrapped;
        }
    }
    async describeService(signal) {
        const { cluster, service } = this.options;
        const out = await this.call('DescribeServices', (abortSignal) => this.client.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal }), signal);
        const found = out.services?.[0];
        if (!found || found.status !== 'ACTIVE') {
            const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
            throw new ConfigurationError(`service: the cluster ${cluster} has no active service "${service}" (${why})`, { input: 'service' });
        }
        const controller = found.deploymentController?.type ?? 'ECS';
        if (controller !== 'ECS') {
            throw new ConfigurationError(`service: ${service} uses the ${controller} deployment controller; Gantry drives ECS-native deployments (deploymentController ECS with strategy BLUE_GREEN, CANARY, LINEAR or ROLLING)`, { input: 'service' });
        }
        return found;
    }
    async describeDeployment(arn, signal) {
        const out = await this.call('DescribeServiceDeployments', (abortSignal) => this.client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal }), signal);
        const d = out.serviceDeployments?.[0];
        if (!d)
            throw new Error(`ECS does not know the service deployment ${arn} (${out.failures?.[0]?.reason ?? 'MISSING'})`);
        return d;
    }
    async inFlight(signal) {
        const { cluster, service } = this.options;
        const out = await this.call('ListServiceDeployments', (abortSignal) => this.client.send(new ListServiceDeploymentsCommand({ cluster, service, status: [...IN_FLIGHT], maxResults: 20 }), { abortSignal }), signal);
        return (out.serviceDeployments ?? []).map((d) => ({ arn: d.serviceDeploymentArn, status: d.status ?? '?' }));
    }
    async revisionTaskDefinition(revisionArn, signal) {
        if (!revisionArn)
            return undefined;
        const out = await this.call('DescribeServiceRevisions', (abortSignal) => this.client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }), { abortSignal }), signal);
        return out.serviceRevisions?.[0]?.taskDefinition;
    }
    async updateService(taskDefinition, signal) {
        const { cluster, service } = this.options;
        // Minimal: only what changes. Anything else would overwrite settings owned by the service's IaC.
        const out = await this.call('UpdateService', (abortSignal) => this.client.send(new UpdateServiceCommand({ cluster, service, taskDefinition, forceNewDeployment: false }), { abortSignal }), signal);
        return out.service;
    }
    async stop(arn, signal) {
        try {
            await this.call('StopServiceDeployment', (abortSignal) => this.client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }), { abortSignal }), signal);
            return true;
        }
        catch (error) {
            // Already finished, rolling back or stopped: nothing to stop (safe to call twice).
            const name = error.awsName;
            if (name === 'ConflictException' || name === 'ServiceDeploymentNotFoundException')
                return false;
            throw error;
        }
    }
    // ── following a deployment ────────────────────────────────────────────────
    strategyOf(d, fallback) {
        return d?.deploymentConfiguration?.strategy ?? fallback ?? 'ROLLING';
    }
    /** Logs status, stage, traffic weights, task counts, circuit breaker and alarms — only when something changed. */
    report(d) {
        const arn = d.serviceDeploymentArn ?? '?';
        const t = this.tracked.get(arn) ?? {};
        const target = d.targetServiceRevision;
        const weights = (r) => r && (r.requestedProductionTrafficWeight !== undefined || r.requestedTestTrafficWeight !== undefined)
            ? `production ${r.requestedProductionTrafficWeight ?? 0}% / test ${r.requestedTestTrafficWeight ?? 0}%`
            : undefined;
        const parts = [
            d.status,
            d.lifecycleStage,
            target ? `green tasks ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0}` : undefined,
            weights(target) ? `green ${weights(target)}` : undefined,
            d.deploymentCircuitBreaker?.status && d.deploymentCircuitBreaker.status !== 'DISABLED'
                ? `circuit breaker ${d.deploymentCircuitBreaker.status}${d.deploymentCircuitBreaker.failureCount ? ` (${d.deploymentCircuitBreaker.failureCount}/${d.deploymentCircuitBreaker.threshold ?? '?'} failed tasks)` : ''}`
                : undefined,
            d.alarms?.status && d.alarms.status !== 'DISABLED'
                ? `alarms ${d.alarms.status}${d.alarms.triggeredAlarmNames?.length ? `: ${d.alarms.triggeredAlarmNames.join(', ')}` : ''}`
                : undefined,
            d.statusReason ? `— ${d.statusReason}` : undefined,
        ].filter(Boolean);
        const line = parts.join(' · ');
        if (line !== t.line) {
            log.info(`ECS deployment ${ecs_short(arn)}: ${line}`);
            t.line = line;
            this.tracked.set(arn, t);
        }
    }
    failure(d) {
        const reason = d.statusReason ?? d.rollback?.reason;
        const why = [
            reason,
            d.deploymentCircuitBreaker?.status === 'TRIGGERED' ? 'circuit breaker triggered' : undefined,
            d.alarms?.triggeredAlarmNames?.length ? `alarms in ALARM: ${d.alarms.triggeredAlarmNames.join(', ')}` : undefined,
        ].filter(Boolean);
        return new EcsDeploymentError(`ECS service deployment ${ecs_short(d.serviceDeploymentArn)} of ${this.options.service} ended ${d.status}${why.length ? `: ${why.join('; ')}` : ''}`, d.serviceDeploymentArn ?? '?', d.status ?? '?', reason);
    }
    /**
     * Polls a service deployment until `done` says so. Failure statuses throw with ECS's reason.
     * On cancellation, an in-flight deployment is stopped with a rollback first (when `stopOnCancel`).
     */
    async follow(arn, what, done, options, { stopOnCancel = true, failOn = SEND_FAILED } = {}) {
        const t = this.tracked.get(arn) ?? {};
        this.tracked.set(arn, t);
        try {
            return await pollUntil(async () => {
                let d;
                try {
                    d = await this.describeDeployment(arn, options.signal);
                }
                catch (error) {
                    if (options.signal.aborted || !retryableAwsError(error.cause ?? error))
                        throw error;
                    if (!t.warnedTransient)
                        log.warning(`ECS did not answer (${errorMessage(error)}); still waiting for ${what}`);
                    t.warnedTransient = true;
                    return undefined;
                }
                this.report(d);
                if (failOn.has(d.status ?? ''))
                    throw this.failure(d);
                return done(d) ? d : undefined;
            }, { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.pollMs, maxIntervalMs: this.maxPollMs, signal: options.signal, what });
        }
        catch (error) {
            if (options.signal.aborted && stopOnCancel)
                await this.stopOnCancel(arn);
            throw error;
        }
    }
    /** The job was cancelled while `arn` was in flight: roll it back and wait (bounded) for ECS to settle. */
    async stopOnCancel(arn) {
        const grace = AbortSignal.timeout(this.graceMs);
        try {
            const stopped = await this.stop(arn, grace);
            log.warning(stopped
                ? `Cancelled: stopped ECS service deployment ${ecs_short(arn)} with a rollback; production stays on the previous revision`
                : `Cancelled: ECS service deployment ${ecs_short(arn)} was no longer in progress`);
            const d = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), { signal: grace, deadline: Date.now() + this.graceMs }, {
                stopOnCancel: false,
                failOn: new Set(),
            });
            if (d.status === 'ROLLBACK_FAILED')
                log.error(`ECS could not roll back ${ecs_short(arn)}: ${d.statusReason ?? 'no reason given'}`);
            else
                log.info(`ECS service deployment ${ecs_short(arn)} settled: ${d.status}`);
        }
        catch (error) {
            log.warning(`Cancelled: asked ECS to roll back ${ecs_short(arn)}; it had not settled within ${Math.round(this.graceMs / 1000)}s (${errorMessage(error)})`);
        }
    }
    /** Finds the service deployment started by our UpdateService. */
    async newDeployment(before, after, since, options) {
        if (after?.currentServiceDeployment && after.currentServiceDeployment !== before)
            return after.currentServiceDeployment;
        const { cluster, service } = this.options;
        return pollUntil(async () => {
            const out = await this.call('ListServiceDeployments', (abortSignal) => this.client.send(new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: new Date(since - 60_000) }, maxResults: 10 }), {
                abortSignal,
            }), options.signal);
            const found = (out.serviceDeployments ?? [])
                .filter((d) => d.serviceDeploymentArn !== before)
                .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
            return found?.serviceDeploymentArn;
        }, { timeoutMs: Math.min(60_000, Math.max(0, options.deadline - Date.now())), intervalMs: this.pollMs, maxIntervalMs: 2_000, signal: options.signal, what: 'ECS to start the service deployment' });
    }
    // ── Platform ──────────────────────────────────────────────────────────────
    async findLive(options) {
        const service = await this.describeService(options.signal);
        return this.live(service, options);
    }
    async live(service, options) {
        let taskDefinition = service.taskDefinition;
        let revision;
        let deployment;
        if (service.currentServiceDeployment) {
            deployment = await this.describeDeployment(service.currentServiceDeployment, options.signal);
            const sources = [...(deployment.sourceServiceRevisions ?? [])].sort((a, b) => (b.requestedProductionTrafficWeight ?? 0) - (a.requestedProductionTrafficWeight ?? 0));
            if (deployment.status === 'SUCCESSFUL')
                revision = deployment.targetServiceRevision?.arn;
            else if (deployment.status === 'ROLLBACK_SUCCESSFUL')
                revision = deployment.rollback?.serviceRevisionArn ?? sources[0]?.arn;
            else if (deployment.status === 'IN_PROGRESS' && (deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 100) {
                revision = deployment.targetServiceRevision?.arn;
            }
            else
                revision = sources[0]?.arn;
            if (revision && revision !== deployment.targetServiceRevision?.arn)
                taskDefinition = (await this.revisionTaskDefinition(revision, options.signal)) ?? taskDefinition;
        }
        if (!taskDefinition)
            return undefined;
        return {
            id: taskDefinition,
            url: this.options.productionUrl,
            details: {
                taskDefinition: shortTd(taskDefinition),
                ...(revision ? { serviceRevisionArn: revision } : {}),
                ...(service.currentServiceDeployment ? { serviceDeploymentArn: service.currentServiceDeployment } : {}),
                strategy: service.deploymentConfiguration?.strategy ?? 'ROLLING',
            },
        };
    }
    /** Checks the inputs and reads a task definition file before anything talks to AWS. */
    checkInputs() {
        const { taskDefinition, containerName, image } = this.options;
        if ((containerName && !image) || (image && !containerName)) {
            throw new ConfigurationError('container-name and image go together: give both to patch a container image', { input: containerName ? 'image' : 'container-name' });
        }
        if (!taskDefinition)
            return undefined;
        const source = resolveTaskDefinition(taskDefinition, this.options.workspace ?? context().workspace);
        if (source.kind === 'registered')
            return undefined;
        // Annotations point at the file as the repository knows it.
        const td = readTaskDefinitionFile(source.path, source.shown);
        if (containerName && image)
            patchImage(td, containerName, image);
        return td;
    }
    async createCandidate(options) {
        const { taskDefinition, containerName, image } = this.options;
        if (!taskDefinition && !image) {
            throw new ConfigurationError('task-definition: give a task definition (JSON file or ARN), or container-name + image to patch the current one', {
                input: 'task-definition',
            });
        }
        const fromFile = this.fromFile;
        const service = await this.describeService(options.signal);
        const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
        const busy = await this.inFlight(options.signal);
        if (busy.length) {
            throw new Error(`another deployment of ${this.options.service} is in progress (${busy.map((b) => `${ecs_short(b.arn)} ${b.status}`).join(', ')}); wait for it to finish or stop it before releasing`);
        }
        const previous = await this.live(service, options);
        let arn;
        if (fromFile) {
            arn = await this.register(fromFile, options.signal);
            log.info(`Registered ${shortTd(arn)} from ${taskDefinition}`);
        }
        else if (taskDefinition) {
            const out = await this.call('DescribeTaskDefinition', (abortSignal) => this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal }), options.signal).catch((error) => {
                if (error.awsName === 'ClientException') {
                    throw new ConfigurationError(`task-definition: ECS has no task definition ${taskDefinition} in ${this.options.region}`, { input: 'task-definition' });
                }
                throw error;
            });
            const td = out.taskDefinition;
            if (containerName && image) {
                arn = await this.register(patchImage(registrable(td, out.tags), containerName, image), options.signal);
                log.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(td.taskDefinitionArn)})`);
            }
            else
                arn = td.taskDefinitionArn;
        }
        else {
            const current = previous?.id ?? service.taskDefinition;
            const out = await this.call('DescribeTaskDefinition', (abortSignal) => this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: current, include: ['TAGS'] }), { abortSignal }), options.signal);
            arn = await this.register(patchImage(registrable(out.taskDefinition, out.tags), containerName, image), options.signal);
            log.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(current)})`);
        }
        const details = { strategy, taskDefinition: shortTd(arn) };
        if (previous)
            details.previousTaskDefinition = previous.id;
        if (service.deploymentConfiguration?.bakeTimeInMinutes !== undefined)
            details.bakeTimeMinutes = String(service.deploymentConfiguration.bakeTimeInMinutes);
        if (this.options.bakeTimeMs !== undefined && service.deploymentConfiguration?.bakeTimeInMinutes !== undefined) {
            const configured = service.deploymentConfiguration.bakeTimeInMinutes * 60_000;
            if (Math.abs(configured - this.options.bakeTimeMs) >= 60_000) {
                log.warning(`bake-time: the service bakes for ${service.deploymentConfiguration.bakeTimeInMinutes} min (its deploymentConfiguration.bakeTimeInMinutes); change it there, not per release`);
            }
        }
        if (arn === service.taskDefinition && arn === previous?.id) {
            // A re-run: the service already runs this revision. Don't start another deployment.
            log.info(`${this.options.service} already runs ${shortTd(arn)}; no new deployment started`);
            return { id: arn, url: this.options.testUrl, createdAt: Date.now(), details: { ...details, serviceDeploymentArn: service.currentServiceDeployment ?? '', unchanged: 'true' } };
        }
        const since = Date.now();
        const updated = await this.updateService(arn, options.signal);
        const deploymentArn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
        log.info(`Started ECS service deployment ${ecs_short(deploymentArn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(arn)} (${strategy}${strategy !== 'ROLLING' && details.bakeTimeMinutes ? `, bake ${details.bakeTimeMinutes} min` : ''})`);
        return { id: arn, url: this.options.testUrl, createdAt: since, details: { ...details, serviceDeploymentArn: deploymentArn } };
    }
    async register(request, signal) {
        const out = await this.call('RegisterTaskDefinition', (abortSignal) => this.client.send(new RegisterTaskDefinitionCommand(request), { abortSignal }), signal);
        return out.taskDefinition.taskDefinitionArn;
    }
    /**
     * The service deployment that rolls `candidate` out. A candidate known only by its task
     * definition (`operation: promote` with `to`) is found on the service, or deployed now.
     */
    async deploymentOf(candidate, options) {
        const known = candidate.details?.serviceDeploymentArn;
        if (known)
            return known;
        const service = await this.describeService(options.signal);
        if (service.currentServiceDeployment) {
            const d = await this.describeDeployment(service.currentServiceDeployment, options.signal);
            const taskDefinition = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, options.signal);
            if (taskDefinition === candidate.id && !SEND_FAILED.has(d.status ?? '')) {
                candidate.details = { ...candidate.details, serviceDeploymentArn: service.currentServiceDeployment };
                return service.currentServiceDeployment;
            }
        }
        const busy = await this.inFlight(options.signal);
        if (busy.length) {
            throw new Error(`another deployment of ${this.options.service} is in progress (${busy.map((b) => `${ecs_short(b.arn)} ${b.status}`).join(', ')})`);
        }
        const previous = await this.live(service, options);
        const since = Date.now();
        const updated = await this.updateService(candidate.id, options.signal);
        const arn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
        log.info(`Started ECS service deployment ${ecs_short(arn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(candidate.id)}`);
        candidate.details = { ...candidate.details, serviceDeploymentArn: arn, ...(previous ? { previousTaskDefinition: previous.id } : {}) };
        return arn;
    }
    async waitReady(candidate, options) {
        const arn = await this.deploymentOf(candidate, options);
        const d = await this.follow(arn, `${this.options.service} to be ready for verification`, (x) => {
            if (x.status === 'SUCCESSFUL')
                return true;
            if (this.strategyOf(x, candidate.details?.strategy) === 'ROLLING')
                return false; // a rollout is ready only when complete
            if (x.status !== 'IN_PROGRESS')
                return false;
            const target = x.targetServiceRevision;
            const healthy = (target?.runningTaskCount ?? 0) >= (target?.requestedTaskCount ?? 1);
            const stage = stageIndex(x.lifecycleStage);
            const testRouted = stage >= stageIndex('POST_TEST_TRAFFIC_SHIFT') || (x.lifecycleStage === 'TEST_TRAFFIC_SHIFT' && (target?.requestedTestTrafficWeight ?? 0) >= 100);
            return healthy && testRouted;
        }, options);
        return {
            ...candidate,
            details: {
                ...candidate.details,
                status: d.status ?? '',
                ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}),
                ...(d.targetServiceRevision?.arn ? { serviceRevisionArn: d.targetServiceRevision.arn } : {}),
            },
        };
    }
    async shiftTraffic(candidate, percent, options) {
        if (percent <= 0)
            return;
        const arn = await this.deploymentOf(candidate, options);
        // ECS moves production traffic itself (BLUE_GREEN after the test shift, CANARY/LINEAR in its
        // configured steps); we wait until it has done so. 100 % = the deployment completed its bake.
        await this.follow(arn, percent >= 100 ? `ECS to complete the deployment of ${this.options.service}` : `${percent}% of production traffic on green`, (x) => x.status === 'SUCCESSFUL' || (percent < 100 && (x.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= percent), options);
    }
    async rollback(target, candidate, options) {
        const arn = candidate?.details?.serviceDeploymentArn;
        const cancelled = options.signal.aborted;
        // A cancelled job still gets its rollback: within the grace period, not the aborted signal.
        const wait = cancelled ? { signal: AbortSignal.timeout(this.graceMs), deadline: Date.now() + this.graceMs } : options;
        if (arn && candidate?.details?.unchanged !== 'true') {
            const d = await this.describeDeployment(arn, wait.signal);
            this.report(d);
            if (d.status === 'PENDING' || d.status === 'IN_PROGRESS') {
                log.info(`Rolling back ECS service deployment ${ecs_short(arn)}: ${options.reason}`);
                await this.stop(arn, wait.signal);
            }
            if (d.status !== 'SUCCESSFUL') {
                const settled = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
                if (settled.status === 'ROLLBACK_FAILED')
                    throw new EcsDeploymentError(`ECS could not roll back ${ecs_short(arn)}: ${settled.statusReason ?? 'no reason given'}`, arn, 'ROLLBACK_FAILED', settled.statusReason);
                if (settled.status !== 'SUCCESSFUL') {
                    log.info(`ECS service deployment ${ecs_short(arn)} ${settled.status}; production is back on ${shortTd(target?.id ?? candidate?.details?.previousTaskDefinition)}`);
                    return;
                }
            }
        }
        // The candidate's deployment completed (or there is none): deploy the previous revision again.
        const to = target?.id ?? candidate?.details?.previousTaskDefinition;
        if (!to)
            throw new Error('nothing to roll back to: no previous ECS task definition is known');
        let service = await this.describeService(wait.signal);
        const productionBack = (x) => x.status === 'SUCCESSFUL' ||
            (this.strategyOf(x) !== 'ROLLING' && x.status === 'IN_PROGRESS' && (x.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 100);
        const busy = await this.inFlight(wait.signal);
        for (const b of busy) {
            const d = await this.describeDeployment(b.arn, wait.signal);
            const targetTd = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, wait.signal);
            if (targetTd === to && (d.status === 'PENDING' || d.status === 'IN_PROGRESS')) {
                // Already going back (an earlier call, or someone else): follow it, never stop it.
                log.info(`ECS service deployment ${ecs_short(b.arn)} is already rolling ${this.options.service} out to ${shortTd(to)}`);
                await this.follow(b.arn, `production traffic back on ${shortTd(to)}`, productionBack, wait, { stopOnCancel: false });
                return;
            }
            if (d.status === 'PENDING' || d.status === 'IN_PROGRESS') {
                log.info(`Stopping in-flight ECS service deployment ${ecs_short(b.arn)} (${d.status}) with a rollback`);
                await this.stop(b.arn, wait.signal);
            }
            await this.follow(b.arn, 'the in-flight deployment to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
        }
        if (busy.length)
            service = await this.describeService(wait.signal);
        const live = await this.live(service, wait);
        if (live?.id === to) {
            log.info(`${this.options.service} already runs ${shortTd(to)}; nothing to roll back`);
            return;
        }
        log.info(`Rolling back ${this.options.service} to ${shortTd(to)}: ${options.reason}`);
        const since = Date.now();
        const updated = await this.updateService(to, wait.signal);
        const back = await this.newDeployment(service.currentServiceDeployment, updated, since, wait);
        // Production is back once ECS has shifted it (BLUE_GREEN: past the production shift; ROLLING: complete).
        await this.follow(back, `production traffic back on ${shortTd(to)}`, productionBack, wait, { stopOnCancel: false });
    }
    async describe(options) {
        const service = await this.describeService(options.signal);
        const live = await this.live(service, options);
        const busy = await this.inFlight(options.signal);
        const state = { live, candidateWeight: 0, productionUrl: this.options.productionUrl };
        if (busy[0]) {
            state.inProgress = `ECS service deployment ${ecs_short(busy[0].arn)} is ${busy[0].status}`;
            const d = await this.describeDeployment(busy[0].arn, options.signal);
            const taskDefinition = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, options.signal);
            if (taskDefinition) {
                state.candidate = {
                    id: taskDefinition,
                    url: this.options.testUrl,
                    createdAt: d.createdAt?.getTime(),
                    details: { serviceDeploymentArn: busy[0].arn, status: d.status ?? '', ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}) },
                };
                state.candidateWeight = d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
            }
        }
        return state;
    }
}

// EXTERNAL MODULE: ./shared/core/context.ts
var core_context = __webpack_require__(58367);
;// CONCATENATED MODULE: ./shared/platforms/ecs-alb.ts
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








const awsName = (error) => error?.name ?? '';
function retryableAws(error) {
    const e = error;
    if (e?.$retryable)
        return true;
    const status = e?.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500))
        return true;
    if (/Throttl|TooManyRequests|RequestLimitExceeded|InternalFailure|ServiceUnavailable|TimeoutError/.test(e?.name ?? ''))
        return true;
    return (0,net/* isTransient */.dg)(error);
}
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
        (0,secrets/* registerSecret */.cl)(process.env.AWS_SECRET_ACCESS_KEY);
        (0,secrets/* registerSecret */.cl)(process.env.AWS_SESSION_TOKEN);
        const requestHandler = { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true };
        this.elb = new dist_cjs/* ElasticLoadBalancingV2Client */.MlD({ region: o.region, maxAttempts: 6, retryMode: 'standard', requestHandler });
        // Weight changes are not retried blindly by the SDK: see setWeight.
        this.elbWrite = new dist_cjs/* ElasticLoadBalancingV2Client */.MlD({ region: o.region, maxAttempts: 1, requestHandler });
        this.ecs = new client_ecs_dist_cjs/* ECSClient */.Zgc({ region: o.region, maxAttempts: 6, retryMode: 'standard', requestHandler });
        this.log = hooks.log ?? (() => { });
    }
    plan(steps) {
        return steps; // any weights 0–100 fit a forward action
    }
    // ── AWS calls with errors a person can act on ─────────────────────────────
    async call(what, send, signal) {
        if (signal.aborted)
            throw (0,net/* abortReason */.Js)(signal);
        try {
            return await send(signal);
        }
        catch (error) {
            if (signal.aborted)
                throw (0,net/* abortReason */.Js)(signal);
            const name = awsName(error);
            if (name === 'CredentialsProviderError')
                throw new errors/* ConfigurationError */.j1('no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
            if (name === 'RuleNotFoundException' || name === 'RuleNotFound')
                throw new errors/* ConfigurationError */.j1(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
            if (name === 'ClusterNotFoundException')
                throw new errors/* ConfigurationError */.j1(`cluster: ECS has no cluster "${this.o.cluster}" in ${this.o.region}`, { input: 'cluster' });
            if (name === 'ServiceNotFoundException')
                throw new errors/* ConfigurationError */.j1(`service / canary-service: the cluster ${this.o.cluster} has no such active service`, { input: 'canary-service' });
            if (name === 'AccessDeniedException' || name === 'AccessDenied')
                throw new Error(`AWS denied ${what}: ${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
            const wrapped = new Error(`${what} failed: ${name && !(0,errors/* errorMessage */.gJ)(error).startsWith(name) ? `${name}: ` : ''}${(0,errors/* errorMessage */.gJ)(error)}`, { cause: error });
            Object.assign(wrapped, { $retryable: retryableAws(error) });
            throw wrapped;
        }
    }
    async rule(signal) {
        const out = await this.call('elasticloadbalancing:DescribeRules', (abortSignal) => this.elb.send(new dist_cjs/* DescribeRulesCommand */.Ggo({ RuleArns: [this.o.listenerRuleArn] }), { abortSignal }), signal);
        const rule = out.Rules?.[0];
        if (!rule)
            throw new errors/* ConfigurationError */.j1(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
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
            throw new errors/* ConfigurationError */.j1(`listener-rule-arn: the rule must have one forward action over stable-target-group-arn and canary-target-group-arn (it forwards to ${groups.map((g) => g.TargetGroupArn).join(', ') || 'nothing'})`, { input: 'listener-rule-arn' });
        }
        const total = (stable ?? 0) + canary;
        return total === 0 ? 0 : Math.round((canary / total) * 100);
    }
    async progress(options) {
        const weight = this.weightOf(await this.rule(options.signal));
        return { at: Date.now(), stage: 'weights', canaryWeight: weight, detail: `stable ${100 - weight}% / canary ${weight}%` };
    }
    async service(name, signal) {
        const out = await this.call('ecs:DescribeServices', (abortSignal) => this.ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster: this.o.cluster, services: [name] }), { abortSignal }), signal);
        const s = out.services?.[0];
        if (!s || s.status !== 'ACTIVE') {
            const input = name === this.o.service ? 'service' : 'canary-service';
            throw new errors/* ConfigurationError */.j1(`${input}: the cluster ${this.o.cluster} has no active service "${name}"`, { input });
        }
        return s;
    }
    async newTaskDefinition(stable, signal) {
        const { taskDefinition, containerName, image } = this.o;
        const source = taskDefinition ? (0,task_definition/* resolveTaskDefinition */.F)(taskDefinition, (0,core_context/* context */._)().workspace) : undefined;
        if (source?.kind === 'registered' && !(containerName && image))
            return source.reference;
        let td;
        if (source?.kind === 'file')
            td = readTaskDefinitionFile(source.path, source.shown);
        else {
            const from = source?.reference ?? stable.taskDefinition;
            const out = await this.call('ecs:DescribeTaskDefinition', (abortSignal) => this.ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: from, include: ['TAGS'] }), { abortSignal }), signal);
            td = registrable(out.taskDefinition, out.tags);
        }
        if (containerName && image)
            td = patchImage(td, containerName, image);
        const out = await this.call('ecs:RegisterTaskDefinition', (abortSignal) => this.ecs.send(new client_ecs_dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(td), { abortSignal }), signal);
        this.log(`Registered ${out.taskDefinition.taskDefinitionArn}`);
        return out.taskDefinition.taskDefinitionArn;
    }
    async rollOut(serviceName, taskDefinition, desiredCount, options) {
        await this.call('ecs:UpdateService', (abortSignal) => this.ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster: this.o.cluster, service: serviceName, taskDefinition, ...(desiredCount === undefined ? {} : { desiredCount }) }), { abortSignal }), options.signal);
        this.log(`${serviceName}: rolling out ${taskDefinition.split('/').pop()}`);
        await (0,net/* pollUntil */.g3)(async () => {
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
        await (0,net/* pollUntil */.g3)(async () => {
            const out = await this.call('elasticloadbalancing:DescribeTargetHealth', (abortSignal) => this.elb.send(new dist_cjs/* DescribeTargetHealthCommand */.qyg({ TargetGroupArn: targetGroupArn }), { abortSignal }), options.signal);
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
            throw new errors/* ConfigurationError */.j1(`the paused rollout used listener rule ${details.listenerRuleArn} and canary service ${details.canaryService}: give the same listener-rule-arn and canary-service`, { input: 'listener-rule-arn' });
        }
        const canary = await this.service(this.o.canaryService, options.signal);
        if (canary.taskDefinition !== taskDefinition)
            throw new Error(`the canary service now runs ${canary.taskDefinition}, not the paused rollout's ${taskDefinition}: start a new rollout`);
        this.canary = { id: taskDefinition, stableId: String(details.stableTaskDefinition ?? ''), details };
        return this.canary;
    }
    async setWeight(weight, options) {
        const w = Math.round(weight);
        await (0,net/* retry */.L5)(async (attempt) => {
            // Re-read before every try: a change that took effect before a fault is not sent again.
            if (this.weightOf(await this.rule(options.signal)) === w) {
                if (attempt > 1)
                    this.log(`Weights were already ${100 - w}/${w}: not sent again`);
                return;
            }
            await this.call('elasticloadbalancing:ModifyRule', (abortSignal) => this.elbWrite.send(new dist_cjs/* ModifyRuleCommand */.y5P({
                RuleArn: this.o.listenerRuleArn,
                Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: this.o.stableTargetGroupArn, Weight: 100 - w }, { TargetGroupArn: this.o.canaryTargetGroupArn, Weight: w }] } }],
            }), { abortSignal }), options.signal);
        }, {
            attempts: this.o.writeAttempts ?? 5,
            baseDelayMs: this.o.retryBaseMs ?? 300,
            maxDelayMs: 5_000,
            signal: options.signal,
            retryable: (e) => e.$retryable === true,
            onRetry: ({ delayMs, error }) => this.log(`${(0,errors/* errorMessage */.gJ)(error)}; checking the rule and trying again in ${delayMs}ms`),
        });
        return this.waitForWeight(w, options);
    }
    async waitForWeight(weight, options) {
        return (0,net/* pollUntil */.g3)(async () => {
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
            await this.call('ecs:UpdateService', (abortSignal) => this.ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster: this.o.cluster, service: this.o.canaryService, desiredCount: 0 }), { abortSignal }), options.signal);
            this.log(`${this.o.canaryService}: scaled down to 0`);
        }
        catch (error) {
            this.log(`Could not scale ${this.o.canaryService} down (${(0,errors/* errorMessage */.gJ)(error)}); traffic is on stable, scale it down by hand`);
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
