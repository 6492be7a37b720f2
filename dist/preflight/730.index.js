export const id = 730;
export const ids = [730];
export const modules = {

/***/ 79730:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ vercelApi),
/* harmony export */   createVercelProduction: () => (/* binding */ createVercelProduction)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89563);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(46677);
/**
 * The Vercel engine behind the `vercel-blue-green` and `vercel` (rolling) traffic platforms
 * (blue-green.ts, vercel-rolling.ts). `@vercel/client` uploads and creates a staged production deployment (target production,
 * no domains assigned); the REST API reads its state, promotes it (an asynchronous alias job) and
 * rolls back. Every wait is bounded, polls briskly, and ends on cancellation.
 */



const FAILED_STATES = new Set(['ERROR', 'CANCELED', 'BLOCKED', 'DELETED']);
const httpsUrl = (host) => (/^https?:\/\//.test(host) ? host : `https://${host}`);
/** Vercel REST calls with the token, the team, retries of what is safe to retry, and errors in Vercel's words. */
function vercelApi(options, say) {
    const apiUrl = (options.apiUrl ?? 'https://api.vercel.com').replace(/\/+$/, '');
    return async function api(method, path, signal, body, attempts = 5) {
        const sep = path.includes('?') ? '&' : '?';
        const url = `${apiUrl}${path}${options.teamId ? `${sep}teamId=${encodeURIComponent(options.teamId)}` : ''}`;
        return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .requestJson */ .SS)(url, {
            method,
            body,
            signal,
            timeoutMs: options.requestTimeoutMs ?? 20_000,
            headers: { authorization: `Bearer ${options.token}`, 'user-agent': 'gantry' },
            attempts,
            baseDelayMs: 250,
            maxDelayMs: 5_000,
            onRetry: ({ attempt, delayMs, error }) => say(`Vercel API: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)} — retry ${attempt} in ${delayMs} ms`),
            describe: (status, text) => {
                let message = text.slice(0, 300);
                try {
                    const parsed = JSON.parse(text);
                    if (parsed.error)
                        message = `${parsed.error.code ?? ''}: ${parsed.error.message ?? ''}`;
                }
                catch {
                    /* not JSON */
                }
                return `Vercel ${method} ${path.split('?')[0]}: ${status} ${message}`;
            },
        });
    };
}
function createVercelProduction(options, hooks = {}) {
    const apiUrl = (options.apiUrl ?? 'https://api.vercel.com').replace(/\/+$/, '');
    const say = (m) => hooks.log?.(m);
    const pollInterval = options.pollIntervalMs ?? 250;
    const maxPollInterval = options.maxPollIntervalMs ?? 1000;
    const api = vercelApi(options, say);
    const project = (signal) => api('GET', `/v9/projects/${encodeURIComponent(options.projectId)}`, signal);
    const deployment = (id, signal) => api('GET', `/v13/deployments/${encodeURIComponent(id)}`, signal);
    const productionUrlOf = (p) => {
        if (options.productionUrl)
            return options.productionUrl;
        const alias = p.targets?.production?.alias?.[0] ?? p.alias?.find((a) => !a.target || a.target === 'PRODUCTION')?.domain;
        return alias ? httpsUrl(alias) : undefined;
    };
    const refOf = (d, extra = {}) => ({
        id: d.id,
        url: d.url ? httpsUrl(d.url) : undefined,
        createdAt: d.createdAt,
        details: extra,
    });
    async function findLive({ signal }) {
        const p = await project(signal);
        const prod = p.targets?.production;
        return prod ? refOf(prod, { target: 'production' }) : undefined;
    }
    async function createCandidate({ signal, deadline }) {
        if (!(0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(options.workingDirectory))
            throw new Error(`the working directory must be absolute, got ${options.workingDirectory}`);
        const { createDeployment } = await Promise.all(/* import() */[__webpack_require__.e(208), __webpack_require__.e(865)]).then(__webpack_require__.t.bind(__webpack_require__, 61208, 23));
        const clientOptions = {
            token: options.token,
            teamId: options.teamId,
            path: options.workingDirectory,
            apiUrl,
            prebuilt: options.prebuilt ?? false,
            isDirectory: true,
            userAgent: 'gantry',
        };
        const deploymentOptions = {
            // `project` is accepted by the API but missing from @vercel/client's types.
            project: options.projectId,
            target: 'production',
            // Staged: built for production, no domain moves until we promote it.
            autoAssignCustomDomains: false,
            meta: options.meta ?? {},
        };
        const events = createDeployment(clientOptions, deploymentOptions);
        const upload = (async () => {
            for await (const event of events) {
                if (signal.aborted)
                    break;
                if (event.type === 'file-count')
                    say(`Uploading ${event.payload.missing?.length ?? 0} of ${event.payload.total?.size ?? '?'} files`);
                else if (event.type === 'warning' || event.type === 'notice')
                    say(`Vercel ${event.type}: ${String(event.payload)}`);
                else if (event.type === 'error') {
                    const p = event.payload ?? {};
                    const status = typeof p.status === 'number' ? p.status : 0;
                    throw new _core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$(`Vercel refused the deployment: ${p.code ? `${p.code}: ` : ''}${p.message ?? (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(p)}`, status);
                }
                else if (event.type === 'created') {
                    // @vercel/client would now wait for `alias-assigned`, which a staged deployment never gets.
                    await events.return?.(undefined);
                    return event.payload;
                }
            }
            throw signal.aborted ? signal.reason : new Error('@vercel/client ended without creating a deployment');
        })();
        const created = await race(upload, signal, deadline, 'the upload and deployment creation');
        return refOf(created, { target: 'production', staged: 'true' });
    }
    async function waitReady(candidate, { signal, deadline }) {
        let last = '';
        const done = await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            let d;
            try {
                d = await deployment(candidate.id, signal);
            }
            catch (error) {
                if ((0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(error))
                    return undefined;
                throw error;
            }
            if (d.readyState !== last) {
                say(`Deployment ${d.id}: ${d.readyState}`);
                last = d.readyState;
            }
            if (d.readyState === 'READY' || FAILED_STATES.has(d.readyState))
                return d;
            return undefined;
        }, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: pollInterval, maxIntervalMs: maxPollInterval, signal, what: `deployment ${candidate.id} to be ready` });
        if (done.readyState !== 'READY') {
            const events = await buildLog(done.id, signal);
            const reason = done.errorMessage ?? (done.readyState === 'CANCELED' ? 'the deployment was canceled' : done.readyState === 'BLOCKED' ? 'the deployment was blocked (plan limits or a failed check)' : 'no reason given');
            throw new Error(`Vercel deployment ${done.id} ended ${done.readyState}: ${reason}${events ? `\n${events}` : ''}`);
        }
        return { ...candidate, url: httpsUrl(done.url), details: { ...candidate.details, readySubstate: done.readySubstate ?? '' } };
    }
    async function buildLog(id, signal) {
        try {
            const events = await api('GET', `/v3/deployments/${id}/events?direction=backward&limit=20`, signal, undefined, 2);
            return events
                .reverse()
                .map((e) => `  ${e.type}: ${e.payload?.text ?? ''}`)
                .join('\n');
        }
        catch {
            return '';
        }
    }
    /** Starts an alias job (promote or rollback) once, then waits until it has succeeded. */
    async function aliasJob(kind, target, { signal, deadline }) {
        const path = kind === 'promote' ? `/v10/projects/${encodeURIComponent(options.projectId)}/promote/${encodeURIComponent(target.id)}` : `/v1/projects/${encodeURIComponent(options.projectId)}/rollback/${encodeURIComponent(target.id)}`;
        const isOurs = (p) => p.lastAliasRequest?.toDeploymentId === target.id && ['pending', 'in-progress', 'succeeded'].includes(p.lastAliasRequest.jobStatus);
        for (let attempt = 1;; attempt++) {
            const before = await project(signal);
            if (before.targets?.production?.id === target.id && !(before.lastAliasRequest && ['pending', 'in-progress'].includes(before.lastAliasRequest.jobStatus))) {
                say(kind === 'promote' ? `${target.id} already serves production: no promote needed` : `Production is still on ${target.id}: nothing to switch back`);
                return;
            }
            if (isOurs(before))
                break; // a request of ours got through earlier (re-run, or an answer lost on the way back)
            try {
                say(`Requesting ${kind} of ${target.id}`);
                // One try per loop: a lost answer is resolved by reading the project, never by sending twice blindly.
                await api('POST', path, signal, {}, 1);
                break;
            }
            catch (error) {
                if (signal.aborted)
                    throw error;
                const busy = error instanceof _core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.status === 409;
                if (attempt >= 6 || !((0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(error) || busy))
                    throw error;
                const serverSays = error instanceof _core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ ? error.retryAfterMs : undefined;
                const delay = Math.max(serverSays ?? 0, Math.min(4000, 200 * 2 ** attempt));
                say(`${kind} request: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)} — checking the project and retrying in ${delay} ms`);
                await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .sleep */ .yy)(delay, signal);
            }
        }
        await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            let p;
            try {
                p = await project(signal);
            }
            catch (error) {
                if ((0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(error))
                    return undefined;
                throw error;
            }
            const job = p.lastAliasRequest;
            if (job && job.toDeploymentId === target.id) {
                if (job.jobStatus === 'succeeded')
                    return true;
                if (job.jobStatus === 'failed')
                    throw new Error(`Vercel's alias job for the ${kind} of ${target.id} failed`);
                return undefined;
            }
            return p.targets?.production?.id === target.id ? true : undefined;
        }, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 200, maxIntervalMs: 1000, signal, what: `the ${kind} of ${target.id} to take effect` });
        say(`${kind === 'promote' ? 'Promoted' : 'Rolled back to'} ${target.id}: production traffic is on it`);
    }
    async function shiftTraffic(candidate, percent, wait) {
        if (percent !== 100)
            throw new Error('Vercel traffic weights below 100% need rolling releases, which Gantry does not drive yet');
        await aliasJob('promote', candidate, wait);
    }
    async function rollback(target, candidate, wait) {
        if (candidate) {
            try {
                const d = await deployment(candidate.id, wait.signal);
                if (d.readyState === 'QUEUED' || d.readyState === 'BUILDING' || d.readyState === 'INITIALIZING') {
                    await api('PATCH', `/v12/deployments/${candidate.id}/cancel`, wait.signal, {}, 2);
                    say(`Cancelled the build of ${candidate.id}`);
                }
            }
            catch (error) {
                say(`Could not check or cancel ${candidate.id}: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
            }
        }
        if (!target) {
            say('No previous production deployment to go back to.');
            return;
        }
        await aliasJob('rollback', target, wait);
    }
    /** Production builds still queued or building, newest first (someone else's release on its way). */
    async function productionBuilds(signal) {
        const q = `projectId=${encodeURIComponent(options.projectId)}&target=production&state=QUEUED,INITIALIZING,BUILDING&limit=10`;
        const { deployments } = await api('GET', `/v6/deployments?${q}`, signal);
        return (deployments ?? []).map((d) => ({ uid: d.uid, state: d.readyState ?? d.state ?? '' })).filter((d) => ['QUEUED', 'INITIALIZING', 'BUILDING'].includes(d.state));
    }
    /** The project's rolling release when one is running (404: the project has none). */
    async function activeRollingRelease(signal) {
        try {
            const { rollingRelease: r } = await api('GET', `/v1/projects/${encodeURIComponent(options.projectId)}/rolling-release`, signal);
            if (!r || r.state !== 'ACTIVE')
                return undefined;
            const stage = r.activeStage ? ` at stage ${r.activeStage.index ?? '?'} (${r.activeStage.targetPercentage ?? '?'}%)` : '';
            return `rolling release of ${r.canaryDeployment?.id ?? 'a deployment'}${stage}`;
        }
        catch (error) {
            if (error instanceof _core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    async function describe({ signal }) {
        const [p, builds, rolling] = await Promise.all([project(signal), productionBuilds(signal), activeRollingRelease(signal)]);
        const prod = p.targets?.production;
        const job = p.lastAliasRequest;
        const busy = [
            job && ['pending', 'in-progress'].includes(job.jobStatus) ? `${job.type ?? 'alias'} of ${job.toDeploymentId} (${job.jobStatus})` : undefined,
            rolling,
            ...builds.map((b) => `production build ${b.uid} (${b.state})`),
        ].filter(Boolean);
        return {
            live: prod ? refOf(prod) : undefined,
            candidateWeight: 0,
            inProgress: busy.length ? busy.join('; ') : undefined,
            productionUrl: productionUrlOf(p),
        };
    }
    return { findLive, createCandidate, waitReady, shiftTraffic, rollback, describe };
}
function race(work, signal, deadline, what) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new _core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .TimeoutError */ .MU(`timed out waiting for ${what}`)), Math.max(0, deadline - Date.now()));
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
        });
    });
}


/***/ })

};
