export const id = 140;
export const ids = [140];
export const modules = {

/***/ 80292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZH: () => (/* binding */ awsErrorName),
/* harmony export */   _h: () => (/* binding */ retryableAws),
/* harmony export */   rw: () => (/* binding */ awsClientConfig)
/* harmony export */ });
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(89563);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40541);
/**
 * What every AWS client (ECS, ELB, S3) sets up the same way: credentials kept out of logs,
 * bounded requests, and one answer to "is this AWS error worth another try". No SDK client is
 * imported here, so that a bundle pulls in only the clients it uses.
 */


/** Client settings shared by every SDK client: standard retries, a request that hangs is cut off (and retried). */
function awsClientConfig({ region, maxAttempts = 8, requestTimeoutMs = 15_000 }) {
    // Credentials come from the environment (configure-aws-credentials); never let them reach a log.
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(process.env.AWS_SECRET_ACCESS_KEY);
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(process.env.AWS_SESSION_TOKEN);
    return {
        region,
        maxAttempts,
        retryMode: 'standard',
        requestHandler: { connectionTimeout: 5_000, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
    };
}
/** The AWS error name (ThrottlingException, ServiceNotFoundException, …), or ''. */
const awsErrorName = (error) => error?.name ?? '';
/** AWS's own transient faults (throttling, 5xx, the SDK's retryable marker) on top of the network ones. */
function retryableAws(error) {
    const e = error;
    if (e?.$retryable)
        return true;
    const status = e?.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500))
        return true;
    if (/Throttl|TooManyRequests|RequestLimitExceeded|InternalFailure|ServerException|ServiceUnavailable|TimeoutError/.test(e?.name ?? ''))
        return true;
    return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg)(error);
}


/***/ }),

/***/ 68140:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BD: () => (/* binding */ readTaskDefinitionFile),
/* harmony export */   ZV: () => (/* binding */ registrable),
/* harmony export */   aF: () => (/* binding */ withPauseHook),
/* harmony export */   br: () => (/* binding */ ecsClient),
/* harmony export */   createEcsDeployments: () => (/* binding */ createEcsDeployments),
/* harmony export */   k4: () => (/* binding */ patchImage),
/* harmony export */   ob: () => (/* binding */ awaitingHook),
/* harmony export */   tZ: () => (/* binding */ pauseHookAt)
/* harmony export */ });
/* unused harmony exports EcsDeploymentError, EcsDeployments */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(80212);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(38815);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(46677);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(77046);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(89563);
/* harmony import */ var _aws_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(80292);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2800);
/* harmony import */ var _core_context_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(58367);
/**
 * The ECS deployment engine behind the `ecs-blue-green` and `ecs` (native canary) traffic
 * platforms (blue-green.ts, ecs-native.ts), on ECS's own deployment machinery: a service whose
 * `deploymentConfiguration.strategy` is BLUE_GREEN (or CANARY / LINEAR) moves test and then
 * production traffic itself and bakes; ROLLING services replace tasks. We register the task
 * definition revision, send a minimal UpdateService, and follow the service deployment through
 * ListServiceDeployments / DescribeServiceDeployments (the SDK has no waiter for it), polling
 * every 0.5–1 s so readiness is noticed within about a second.
 *
 * Any ROLLBACK_*, STOPPED or STOP_REQUESTED status is a failure carrying ECS's statusReason
 * (reported once ECS has settled it, so the message names where it ended).
 * Cancellation (the AbortSignal) while a deployment is in flight stops it with a rollback.
 *
 * PAUSE lifecycle hooks gate the traffic shifts: a BLUE_GREEN deployment is held at
 * POST_TEST_TRAFFIC_SHIFT (green on the test listener only, production still all blue) until
 * Gantry has verified green and answers ContinueServiceDeployment CONTINUE or ROLLBACK. The hook
 * is configured on the service with the release when it is missing, with a timeout that rolls
 * back on its own if nobody answers (a lost runner never leaves a deployment held).
 */










function ecsClient(options) {
    return new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .ECSClient */ .Zgc((0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .awsClientConfig */ .rw)(options));
}
/** The PAUSE hook at `stage` a deployment configuration has, if any. */
function pauseHookAt(configuration, stage) {
    return configuration?.lifecycleHooks?.find((h) => h.targetType === 'PAUSE' && h.lifecycleStages?.includes(stage));
}
/** `configuration` with a PAUSE hook at `stage` added; undefined when it has one already. */
function withPauseHook(configuration, stage, timeoutMs) {
    if (pauseHookAt(configuration, stage))
        return undefined;
    // ECS takes the timeout in whole minutes (1–1440); rolling back is what a missing answer should mean.
    const timeoutInMinutes = Math.min(1440, Math.max(1, Math.ceil(timeoutMs / 60_000)));
    return {
        ...configuration,
        lifecycleHooks: [...(configuration?.lifecycleHooks ?? []), { targetType: 'PAUSE', lifecycleStages: [stage], timeoutConfiguration: { timeoutInMinutes, action: 'ROLLBACK' } }],
    };
}
/** The PAUSE hook a deployment waits at (AWAITING_ACTION), if any. */
function awaitingHook(d) {
    return d?.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
}
const SEND_FAILED = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'STOP_REQUESTED']);
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'];
const SETTLED = new Set(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);
/** Failures ECS is still carrying out: followed until they settle, so the error names where they ended. */
const SETTLING = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']);
const STAGES = [
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
];
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
const short = (arn) => (arn ? arn.split('/').pop() : '?');
const shortTd = (arn) => (arn ? arn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '') : '?');
function lineOf(text, needle, from = 0) {
    const index = text.indexOf(needle, Math.max(0, from));
    if (index < 0)
        return undefined;
    return text.slice(0, index).split('\n').length;
}
function jsonErrorLine(text, error) {
    const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc)
        return { line: Number(lc[1]), column: Number(lc[2]) };
    const pos = /at position (\d+)/.exec(message);
    if (pos) {
        const before = text.slice(0, Number(pos[1])).split('\n');
        return { line: before.length, column: before.at(-1).length + 1 };
    }
    // Messages like "Unexpected token 'x'" carry no position: ask a parser that reports one.
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__.parseDocument)(text, { prettyErrors: false });
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
        text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(code === 'ENOENT'
            ? `task-definition: no file ${shownPath}. Give a task definition JSON file (relative to the workspace) or a task definition ARN.`
            : `task-definition: cannot read ${shownPath} (${code ?? (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)})`, { input: 'task-definition' });
    }
    const at = (line, column) => ({ file: shownPath, line, column, input: 'task-definition' });
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        const { line, column } = jsonErrorLine(text, error);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: not valid JSON (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)})`, at(line, column));
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'taskDefinition' in parsed && Object.keys(parsed).every((k) => k === 'taskDefinition' || k === 'tags')) {
        const wrapper = parsed;
        parsed = { ...wrapper.taskDefinition, ...(Array.isArray(wrapper.tags) && wrapper.tags.length ? { tags: wrapper.tags } : {}) };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}: a task definition is a JSON object with "family" and "containerDefinitions"`, at(1));
    }
    const td = {};
    const allowed = new Set(REGISTER_FIELDS);
    for (const [key, value] of Object.entries(parsed)) {
        if (READ_ONLY_FIELDS.has(key))
            continue;
        if (!allowed.has(key)) {
            const line = lineOf(text, `"${key}"`);
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: "${key}" is not a task definition field RegisterTaskDefinition accepts (known: ${REGISTER_FIELDS.join(', ')})`, at(line));
        }
        td[key] = value;
    }
    if (typeof td.family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(td.family)) {
        const line = lineOf(text, '"family"');
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: "family" must be a name of letters, digits, "-" and "_" (up to 255)${td.family === undefined ? ', and it is missing' : ''}`, at(line ?? 1));
    }
    const containers = td.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
        const line = lineOf(text, '"containerDefinitions"');
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: "containerDefinitions" must be a non-empty list of containers`, at(line ?? 1));
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
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: container #${i + 1} needs a "name"`, at(line));
        }
        if (seen.has(name))
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: two containers are named "${name}"`, at(line));
        seen.add(name);
        if (typeof image !== 'string' || !image.trim()) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: container "${name}" needs an "image"`, at(line));
        }
    });
    for (const key of ['cpu', 'memory']) {
        if (typeof td[key] === 'number')
            td[key] = String(td[key]);
        else if (td[key] !== undefined && typeof td[key] !== 'string') {
            const line = lineOf(text, `"${key}"`);
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${shownPath}${line ? `:${line}` : ''}: "${key}" must be a string such as "512"`, at(line));
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
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`container-name: the task definition ${td.family} has no container "${containerName}" (it has: ${containers.map((c) => c.name).join(', ') || 'none'})`, { input: 'container-name' });
    }
    container.image = image;
    return td;
}
function createEcsDeployments(options) {
    return new EcsDeployments(options);
}
class EcsDeployments {
    options;
    client;
    /** For ContinueServiceDeployment: never repeated by the SDK, retried by us after re-reading the hook. */
    writeClient;
    tracked = new Map();
    pollMs;
    maxPollMs;
    graceMs;
    fromFile;
    constructor(options) {
        this.options = options;
        this.client = options.client ?? ecsClient({ region: options.region, maxAttempts: options.maxAttempts ?? 8, requestTimeoutMs: options.requestTimeoutMs });
        this.writeClient = options.client ?? ecsClient({ region: options.region, maxAttempts: 1, requestTimeoutMs: options.requestTimeoutMs });
        this.pollMs = options.pollIntervalMs ?? 500;
        this.maxPollMs = options.maxPollIntervalMs ?? 1_000;
        this.graceMs = options.cancelGraceMs ?? 6_000;
        // A bad file fails here, when the action builds the platform: before any request.
        this.fromFile = this.checkInputs();
    }
    // ── API calls ─────────────────────────────────────────────────────────────
    async call(operation, send, signal) {
        if (signal?.aborted)
            throw (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .abortReason */ .Js)(signal);
        try {
            return await send(signal);
        }
        catch (error) {
            if (signal?.aborted)
                throw (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .abortReason */ .Js)(signal);
            const name = (0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .awsErrorName */ .ZH)(error);
            const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error);
            if (name === 'ClusterNotFoundException') {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`cluster: ECS has no cluster "${this.options.cluster}" in ${this.options.region}`, { input: 'cluster' });
            }
            if (name === 'ServiceNotFoundException') {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`service: the cluster ${this.options.cluster} has no active service "${this.options.service}"`, { input: 'service' });
            }
            if (name === 'CredentialsProviderError') {
                throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1('no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
            }
            if (name === 'AccessDeniedException')
                throw new Error(`AWS denied ecs:${operation}: ${message}. The role needs ecs:${operation}.`, { cause: error });
            const wrapped = new Error(`ECS ${operation} failed: ${name && !message.startsWith(name) ? `${name}: ` : ''}${message}`, { cause: error });
            Object.assign(wrapped, { awsName: name, $retryable: (0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .retryableAws */ ._h)(error) });
            throw wrapped;
        }
    }
    async describeService(signal) {
        const { cluster, service } = this.options;
        const out = await this.call('DescribeServices', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .DescribeServicesCommand */ .H7c({ cluster, services: [service] }), { abortSignal }), signal);
        const found = out.services?.[0];
        if (!found || found.status !== 'ACTIVE') {
            const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`service: the cluster ${cluster} has no active service "${service}" (${why})`, { input: 'service' });
        }
        const controller = found.deploymentController?.type ?? 'ECS';
        if (controller !== 'ECS') {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`service: ${service} uses the ${controller} deployment controller; Gantry drives ECS-native deployments (deploymentController ECS with strategy BLUE_GREEN, CANARY, LINEAR or ROLLING)`, { input: 'service' });
        }
        return found;
    }
    async describeDeployment(arn, signal) {
        const out = await this.call('DescribeServiceDeployments', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .DescribeServiceDeploymentsCommand */ .A6p({ serviceDeploymentArns: [arn] }), { abortSignal }), signal);
        const d = out.serviceDeployments?.[0];
        if (!d)
            throw new Error(`ECS does not know the service deployment ${arn} (${out.failures?.[0]?.reason ?? 'MISSING'})`);
        return d;
    }
    async inFlight(signal) {
        const { cluster, service } = this.options;
        const out = await this.call('ListServiceDeployments', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .ListServiceDeploymentsCommand */ .jz8({ cluster, service, status: [...IN_FLIGHT], maxResults: 20 }), { abortSignal }), signal);
        return (out.serviceDeployments ?? []).map((d) => ({ arn: d.serviceDeploymentArn, status: d.status ?? '?' }));
    }
    async revisionTaskDefinition(revisionArn, signal) {
        if (!revisionArn)
            return undefined;
        const out = await this.call('DescribeServiceRevisions', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .DescribeServiceRevisionsCommand */ .oF5({ serviceRevisionArns: [revisionArn] }), { abortSignal }), signal);
        return out.serviceRevisions?.[0]?.taskDefinition;
    }
    async updateService(taskDefinition, signal, deploymentConfiguration) {
        const { cluster, service } = this.options;
        // Minimal: only what changes. Anything else would overwrite settings owned by the service's IaC.
        const out = await this.call('UpdateService', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .UpdateServiceCommand */ .kZr({ cluster, service, taskDefinition, forceNewDeployment: false, ...(deploymentConfiguration ? { deploymentConfiguration } : {}) }), { abortSignal }), signal);
        return out.service;
    }
    /** What the release changes in the service's deploymentConfiguration, if anything. */
    configurationFor(service) {
        const current = service.deploymentConfiguration;
        if (this.options.configure)
            return this.options.configure(current);
        if ((current?.strategy ?? 'ROLLING') !== 'BLUE_GREEN')
            return undefined;
        const configuration = withPauseHook(current, 'POST_TEST_TRAFFIC_SHIFT', this.options.hookTimeoutMs ?? 30 * 60_000);
        if (!configuration)
            return undefined;
        const minutes = pauseHookAt(configuration, 'POST_TEST_TRAFFIC_SHIFT').timeoutConfiguration.timeoutInMinutes;
        return {
            configuration,
            note: `Configured a PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT on ${this.options.service}: ECS now holds each blue/green deployment, green on the test listener only, until it is verified (rolled back by ECS after ${minutes} min without an answer)`,
        };
    }
    /**
     * Answers the PAUSE hook `hookId` of deployment `arn` (CONTINUE or ROLLBACK). Retried on
     * throttling and 5xx, re-reading the deployment first: once the hook is no longer awaiting
     * (an answer that took effect before a fault), nothing is sent again. False when it was not awaiting.
     */
    async answerHook(arn, hookId, action, signal) {
        return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L5)(async (attempt) => {
            const d = await this.describeDeployment(arn, signal);
            if (awaitingHook(d)?.hookId !== hookId) {
                if (attempt > 1)
                    _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS deployment ${short(arn)}: the hook was already answered; ${action} not sent again`);
                return attempt > 1;
            }
            try {
                await this.call('ContinueServiceDeployment', (abortSignal) => this.writeClient.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .ContinueServiceDeploymentCommand */ .LrH({ serviceDeploymentArn: arn, hookId, action }), { abortSignal }), signal);
            }
            catch (error) {
                // Answered meanwhile (ECS's own timeout, someone else): not ours to repeat.
                if (error.awsName === 'ConflictException')
                    return false;
                throw error;
            }
            return true;
        }, {
            attempts: 6,
            baseDelayMs: 300,
            maxDelayMs: 5_000,
            signal,
            retryable: (e) => e.$retryable === true,
            onRetry: ({ delayMs, error }) => _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}; re-reading the deployment and trying again in ${delayMs}ms`),
        });
    }
    /** Rolls an in-flight deployment back: through its PAUSE hook when it waits at one, else by stopping it. */
    async rollBack(arn, signal) {
        const d = await this.describeDeployment(arn, signal);
        const hook = awaitingHook(d);
        if (hook?.hookId && (await this.answerHook(arn, hook.hookId, 'ROLLBACK', signal)))
            return true;
        return this.stop(arn, signal);
    }
    async stop(arn, signal) {
        try {
            await this.call('StopServiceDeployment', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .StopServiceDeploymentCommand */ .a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }), { abortSignal }), signal);
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
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS deployment ${short(arn)}: ${line}`);
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
        return new EcsDeploymentError(`ECS service deployment ${short(d.serviceDeploymentArn)} of ${this.options.service} ended ${d.status}${why.length ? `: ${why.join('; ')}` : ''}`, d.serviceDeploymentArn ?? '?', d.status ?? '?', reason);
    }
    /**
     * Polls a service deployment until `done` says so. Failure statuses throw with ECS's reason.
     * On cancellation, an in-flight deployment is stopped with a rollback first (when `stopOnCancel`).
     */
    async follow(arn, what, done, options, { stopOnCancel = true, failOn = SEND_FAILED } = {}) {
        const t = this.tracked.get(arn) ?? {};
        this.tracked.set(arn, t);
        let settling;
        try {
            return await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .pollUntil */ .g3)(async () => {
                let d;
                try {
                    d = await this.describeDeployment(arn, options.signal);
                }
                catch (error) {
                    if (options.signal.aborted || !(0,_aws_js__WEBPACK_IMPORTED_MODULE_5__/* .retryableAws */ ._h)(error.cause ?? error))
                        throw error;
                    if (!t.warnedTransient)
                        _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.warning(`ECS did not answer (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}); still waiting for ${what}`);
                    t.warnedTransient = true;
                    return undefined;
                }
                this.report(d);
                if (failOn.has(d.status ?? '')) {
                    // ECS is still rolling back: the error should say where it ended, not where it was.
                    if (SETTLING.has(d.status ?? '')) {
                        settling = d;
                        return undefined;
                    }
                    throw this.failure(d);
                }
                return done(d) ? d : undefined;
            }, { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.pollMs, maxIntervalMs: this.maxPollMs, signal: options.signal, what });
        }
        catch (error) {
            if (options.signal.aborted && stopOnCancel)
                await this.stopOnCancel(arn);
            if (settling && error instanceof _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .TimeoutError */ .MU)
                throw this.failure(settling);
            throw error;
        }
    }
    /** The job was cancelled while `arn` was in flight: roll it back and wait (bounded) for ECS to settle. */
    async stopOnCancel(arn) {
        const grace = AbortSignal.timeout(this.graceMs);
        try {
            const stopped = await this.rollBack(arn, grace);
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.warning(stopped
                ? `Cancelled: stopped ECS service deployment ${short(arn)} with a rollback; production stays on the previous revision`
                : `Cancelled: ECS service deployment ${short(arn)} was no longer in progress`);
            const d = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), { signal: grace, deadline: Date.now() + this.graceMs }, {
                stopOnCancel: false,
                failOn: new Set(),
            });
            if (d.status === 'ROLLBACK_FAILED')
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.error(`ECS could not roll back ${short(arn)}: ${d.statusReason ?? 'no reason given'}`);
            else
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS service deployment ${short(arn)} settled: ${d.status}`);
        }
        catch (error) {
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.warning(`Cancelled: asked ECS to roll back ${short(arn)}; it had not settled within ${Math.round(this.graceMs / 1000)}s (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)})`);
        }
    }
    /** Finds the service deployment started by our UpdateService. */
    async newDeployment(before, after, since, options) {
        if (after?.currentServiceDeployment && after.currentServiceDeployment !== before)
            return after.currentServiceDeployment;
        const { cluster, service } = this.options;
        return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .pollUntil */ .g3)(async () => {
            const out = await this.call('ListServiceDeployments', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .ListServiceDeploymentsCommand */ .jz8({ cluster, service, createdAt: { after: new Date(since - 60_000) }, maxResults: 10 }), {
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
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1('container-name and image go together: give both to patch a container image', { input: containerName ? 'image' : 'container-name' });
        }
        if (!taskDefinition)
            return undefined;
        const source = (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_6__/* .resolveTaskDefinition */ .F)(taskDefinition, this.options.workspace ?? (0,_core_context_js__WEBPACK_IMPORTED_MODULE_8__/* .context */ ._)().workspace);
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
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1('task-definition: give a task definition (JSON file or ARN), or container-name + image to patch the current one', {
                input: 'task-definition',
            });
        }
        const fromFile = this.fromFile;
        const service = await this.describeService(options.signal);
        const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
        const busy = await this.inFlight(options.signal);
        if (busy.length) {
            throw new Error(`another deployment of ${this.options.service} is in progress (${busy.map((b) => `${short(b.arn)} ${b.status}`).join(', ')}); wait for it to finish or stop it before releasing`);
        }
        const previous = await this.live(service, options);
        let arn;
        if (fromFile) {
            arn = await this.register(fromFile, options.signal);
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Registered ${shortTd(arn)} from ${taskDefinition}`);
        }
        else if (taskDefinition) {
            const out = await this.call('DescribeTaskDefinition', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .DescribeTaskDefinitionCommand */ .Zy$({ taskDefinition, include: ['TAGS'] }), { abortSignal }), options.signal).catch((error) => {
                if (error.awsName === 'ClientException') {
                    throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`task-definition: ECS has no task definition ${taskDefinition} in ${this.options.region}`, { input: 'task-definition' });
                }
                throw error;
            });
            const td = out.taskDefinition;
            if (containerName && image) {
                arn = await this.register(patchImage(registrable(td, out.tags), containerName, image), options.signal);
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(td.taskDefinitionArn)})`);
            }
            else
                arn = td.taskDefinitionArn;
        }
        else {
            const current = previous?.id ?? service.taskDefinition;
            const out = await this.call('DescribeTaskDefinition', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .DescribeTaskDefinitionCommand */ .Zy$({ taskDefinition: current, include: ['TAGS'] }), { abortSignal }), options.signal);
            arn = await this.register(patchImage(registrable(out.taskDefinition, out.tags), containerName, image), options.signal);
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(current)})`);
        }
        const details = { strategy, taskDefinition: shortTd(arn) };
        if (previous)
            details.previousTaskDefinition = previous.id;
        if (service.deploymentConfiguration?.bakeTimeInMinutes !== undefined)
            details.bakeTimeMinutes = String(service.deploymentConfiguration.bakeTimeInMinutes);
        if (this.options.bakeTimeMs !== undefined && service.deploymentConfiguration?.bakeTimeInMinutes !== undefined) {
            const configured = service.deploymentConfiguration.bakeTimeInMinutes * 60_000;
            if (Math.abs(configured - this.options.bakeTimeMs) >= 60_000) {
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.warning(`bake-time: the service bakes for ${service.deploymentConfiguration.bakeTimeInMinutes} min (its deploymentConfiguration.bakeTimeInMinutes); change it there, not per release`);
            }
        }
        if (arn === service.taskDefinition && arn === previous?.id) {
            // A re-run: the service already runs this revision. Don't start another deployment.
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`${this.options.service} already runs ${shortTd(arn)}; no new deployment started`);
            return { id: arn, url: this.options.testUrl, createdAt: Date.now(), details: { ...details, serviceDeploymentArn: service.currentServiceDeployment ?? '', unchanged: 'true' } };
        }
        const change = this.configurationFor(service);
        const since = Date.now();
        const updated = await this.updateService(arn, options.signal, change?.configuration);
        if (change)
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(change.note);
        const gate = this.gateOf(change?.configuration ?? service.deploymentConfiguration);
        if (gate)
            details.gate = gate;
        const deploymentArn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
        _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Started ECS service deployment ${short(deploymentArn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(arn)} (${strategy}${strategy !== 'ROLLING' && details.bakeTimeMinutes ? `, bake ${details.bakeTimeMinutes} min` : ''})`);
        return { id: arn, url: this.options.testUrl, createdAt: since, details: { ...details, serviceDeploymentArn: deploymentArn } };
    }
    /** The PAUSE hook this release is held at before production traffic moves, if the service has one. */
    gateOf(configuration) {
        const strategy = configuration?.strategy ?? 'ROLLING';
        if (strategy === 'BLUE_GREEN' && pauseHookAt(configuration, 'POST_TEST_TRAFFIC_SHIFT'))
            return 'POST_TEST_TRAFFIC_SHIFT';
        if ((strategy === 'CANARY' || strategy === 'LINEAR') && pauseHookAt(configuration, 'PRE_PRODUCTION_TRAFFIC_SHIFT'))
            return 'PRE_PRODUCTION_TRAFFIC_SHIFT';
        return undefined;
    }
    async register(request, signal) {
        const out = await this.call('RegisterTaskDefinition', (abortSignal) => this.client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_7__/* .RegisterTaskDefinitionCommand */ .$Hl(request), { abortSignal }), signal);
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
                // Staged by an earlier job (promote: false): held at its PAUSE hook, which is what lets it go on.
                const gate = d.status === 'IN_PROGRESS' ? this.gateOf(d.deploymentConfiguration) : undefined;
                candidate.details = { ...candidate.details, serviceDeploymentArn: service.currentServiceDeployment, ...(gate ? { gate } : {}) };
                return service.currentServiceDeployment;
            }
        }
        const busy = await this.inFlight(options.signal);
        if (busy.length) {
            throw new Error(`another deployment of ${this.options.service} is in progress (${busy.map((b) => `${short(b.arn)} ${b.status}`).join(', ')})`);
        }
        const previous = await this.live(service, options);
        const since = Date.now();
        const updated = await this.updateService(candidate.id, options.signal);
        const arn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
        _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Started ECS service deployment ${short(arn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(candidate.id)}`);
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
            // Held by our hook: ECS waits for the verification's answer, production has not moved.
            if (candidate.details?.gate)
                return !!awaitingHook(x);
            const target = x.targetServiceRevision;
            const healthy = (target?.runningTaskCount ?? 0) >= (target?.requestedTaskCount ?? 1);
            const stage = stageIndex(x.lifecycleStage);
            const testRouted = stage >= stageIndex('POST_TEST_TRAFFIC_SHIFT') || (x.lifecycleStage === 'TEST_TRAFFIC_SHIFT' && (target?.requestedTestTrafficWeight ?? 0) >= 100);
            return healthy && testRouted;
        }, options);
        const held = awaitingHook(d);
        if (held?.expiresAt)
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS holds green at the PAUSE hook (production all on blue) until ${held.expiresAt.toISOString()}, then rolls it back by itself`);
        return {
            ...candidate,
            details: {
                ...candidate.details,
                status: d.status ?? '',
                ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}),
                ...(d.targetServiceRevision?.arn ? { serviceRevisionArn: d.targetServiceRevision.arn } : {}),
                ...(held?.hookId ? { hookId: held.hookId } : {}),
            },
        };
    }
    async shiftTraffic(candidate, percent, options) {
        if (percent <= 0)
            return;
        const arn = await this.deploymentOf(candidate, options);
        // ECS moves production traffic itself (BLUE_GREEN after the test shift, CANARY/LINEAR in its
        // configured steps); we wait until it has done so. 100 % = the deployment completed its bake.
        const what = percent >= 100 ? `ECS to complete the deployment of ${this.options.service}` : `${percent}% of production traffic on green`;
        const shifted = (x) => x.status === 'SUCCESSFUL' || (percent < 100 && (x.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= percent);
        for (;;) {
            // Held at our hook while green was verified (CANARY / LINEAR: before each production step): let ECS go on.
            const d = await this.follow(arn, what, (x) => shifted(x) || (!!candidate.details?.gate && !!awaitingHook(x)), options);
            const hookId = shifted(d) ? undefined : awaitingHook(d)?.hookId;
            if (!hookId)
                return;
            if (await this.answerHook(arn, hookId, 'CONTINUE', options.signal))
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS deployment ${short(arn)}: green verified, told ECS to continue (ContinueServiceDeployment CONTINUE)`);
        }
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
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Rolling back ECS service deployment ${short(arn)}${awaitingHook(d) ? ' at its PAUSE hook' : ''}: ${options.reason}`);
                await this.rollBack(arn, wait.signal);
            }
            if (d.status !== 'SUCCESSFUL') {
                const settled = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
                if (settled.status === 'ROLLBACK_FAILED')
                    throw new EcsDeploymentError(`ECS could not roll back ${short(arn)}: ${settled.statusReason ?? 'no reason given'}`, arn, 'ROLLBACK_FAILED', settled.statusReason);
                if (settled.status !== 'SUCCESSFUL') {
                    _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS service deployment ${short(arn)} ${settled.status}; production is back on ${shortTd(target?.id ?? candidate?.details?.previousTaskDefinition)}`);
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
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS service deployment ${short(b.arn)} is already rolling ${this.options.service} out to ${shortTd(to)}`);
                await this.followBack(b.arn, to, productionBack, wait);
                return;
            }
            if (d.status === 'PENDING' || d.status === 'IN_PROGRESS') {
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Stopping in-flight ECS service deployment ${short(b.arn)} (${d.status}) with a rollback`);
                await this.stop(b.arn, wait.signal);
            }
            await this.follow(b.arn, 'the in-flight deployment to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
        }
        if (busy.length)
            service = await this.describeService(wait.signal);
        const live = await this.live(service, wait);
        if (live?.id === to) {
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`${this.options.service} already runs ${shortTd(to)}; nothing to roll back`);
            return;
        }
        _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`Rolling back ${this.options.service} to ${shortTd(to)}: ${options.reason}`);
        const since = Date.now();
        const updated = await this.updateService(to, wait.signal);
        const back = await this.newDeployment(service.currentServiceDeployment, updated, since, wait);
        // Production is back once ECS has shifted it (BLUE_GREEN: past the production shift; ROLLING: complete).
        await this.followBack(back, to, productionBack, wait);
    }
    /** Follows a deployment back to `to`, a release that was live: a PAUSE hook holding it is answered CONTINUE (nothing to verify). */
    async followBack(arn, to, productionBack, wait) {
        for (;;) {
            const d = await this.follow(arn, `production traffic back on ${shortTd(to)}`, (x) => productionBack(x) || !!awaitingHook(x), wait, { stopOnCancel: false });
            const hookId = awaitingHook(d)?.hookId;
            if (productionBack(d) || !hookId)
                return;
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.info(`ECS deployment ${short(arn)} back to ${shortTd(to)} is held at a PAUSE hook: continued (it was live before)`);
            await this.answerHook(arn, hookId, 'CONTINUE', wait.signal);
        }
    }
    async describe(options) {
        const service = await this.describeService(options.signal);
        const live = await this.live(service, options);
        const busy = await this.inFlight(options.signal);
        const state = { live, candidateWeight: 0, productionUrl: this.options.productionUrl };
        if (busy[0]) {
            state.inProgress = `ECS service deployment ${short(busy[0].arn)} is ${busy[0].status}`;
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


/***/ })

};
