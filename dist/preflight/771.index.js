export const id = 771;
export const ids = [771];
export const modules = {

/***/ 67771:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEcsBlueGreen: () => (/* binding */ createEcsBlueGreen),
/* harmony export */   createVercelBlueGreen: () => (/* binding */ createVercelBlueGreen)
/* harmony export */ });
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46677);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89563);
/**
 * Blue-green as traffic platforms (`vercel-blue-green`, `ecs-blue-green`): one step, 0 → 100
 * after verification.
 * - `prepare` stages green without production traffic and waits until it can be verified
 *   (Vercel: a staged production build; ECS: a service deployment held at its PAUSE hook at
 *   POST_TEST_TRAFFIC_SHIFT, green on the test listener only);
 * - `complete` (= `setWeight(100)`) promotes it (Vercel's promote alias job; ECS: the hook answered
 *   CONTINUE, followed through ECS's own bake);
 * - `abort` puts all traffic back on blue (a build still running is cancelled; ECS rolls the
 *   deployment back through the hook, or blue is deployed again once green had completed);
 * - `rollback(toId)` goes back to an earlier release; `live` reads what serves production.
 * The work is done by the engines (vercel.ts, ecs.ts), each loaded only when its target is used.
 */


class BlueGreenPlatform {
    name;
    driver;
    engine;
    /** What served production when the rollout began: abort puts traffic back on it. */
    blue;
    blueRead = false;
    green;
    constructor(
    /** The target, as the ledger names it (`vercel`, `ecs`). */
    name, driver, engine) {
        this.name = name;
        this.driver = driver;
        this.engine = engine;
    }
    plan(steps) {
        if (steps.length !== 1 || steps[0] !== 100) {
            throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' (${steps.join(',')}) does not fit blue-green, which moves all production traffic at once after verifying green: use canary-shift for traffic in steps`, { input: 'steps' });
        }
        return steps;
    }
    async live(options) {
        const state = await this.engine.describe(options);
        if (!this.blueRead)
            [this.blue, this.blueRead] = [state.live, true];
        return state;
    }
    async progress(options) {
        const state = await this.engine.describe(options);
        const green = this.green?.id;
        const weight = !green ? 0 : state.live?.id === green ? 100 : state.candidate?.id === green ? state.candidateWeight : 0;
        return { at: Date.now(), stage: state.inProgress ? 'rolling out' : 'settled', canaryWeight: weight, detail: state.inProgress ?? `production on ${state.live?.id ?? 'nothing yet'}` };
    }
    async prepare(options) {
        await this.readBlue(options);
        this.green = await this.engine.createCandidate(options);
        await options.created?.(this.canaryOf(this.green));
        this.green = await this.engine.waitReady(this.green, options);
        return this.canaryOf(this.green);
    }
    /** A green staged by an earlier job (`operation: promote`), known by its id (and URL) from the ledger. */
    async resume(details, options) {
        await this.readBlue(options);
        this.green = { id: String(details.deploymentId), ...(details.url ? { url: String(details.url) } : {}) };
        this.green = await this.engine.waitReady(this.green, options);
        return this.canaryOf(this.green);
    }
    async setWeight(weight, options) {
        if (weight === 100)
            return this.complete(options);
        if (weight === 0)
            return this.abort('weight 0', options);
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`blue-green moves 0 or 100 % of production traffic, not ${weight} %: use canary-shift for steps`, { input: 'steps' });
    }
    async waitForWeight(weight, options) {
        return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(async () => {
            const p = await this.progress(options);
            return (weight === 0 ? p.canaryWeight === 0 : p.canaryWeight >= weight) ? p : undefined;
        }, { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: 500, maxIntervalMs: 2_000, signal: options.signal, what: `${weight}% of production traffic on green` });
    }
    async complete(options) {
        const green = this.staged('complete');
        await this.engine.shiftTraffic(green, 100, options);
        return { at: Date.now(), stage: 'promoted', canaryWeight: 100, detail: `${green.id} serves production` };
    }
    async abort(reason, options) {
        // Nothing staged (the ledger failed before green was asked for): traffic never left blue.
        if (this.green)
            await this.engine.rollback(this.blue, this.green, { ...options, reason });
        return { at: Date.now(), stage: 'aborted', canaryWeight: 0, detail: `production on ${this.blue?.id ?? 'nothing (first release)'}` };
    }
    async rollback(toId, options) {
        await this.engine.rollback({ id: toId }, undefined, { ...options, reason: 'manual rollback' });
    }
    async readBlue(options) {
        if (!this.blueRead)
            await this.live(options);
    }
    staged(what) {
        if (!this.green)
            throw new Error(`${what}() before prepare() or resume()`);
        return this.green;
    }
    canaryOf(green) {
        return { id: green.id, url: green.url, stableId: this.blue?.id, stableUrl: this.blue?.url, details: { ...green.details, deploymentId: green.id, ...(green.url ? { url: green.url } : {}) } };
    }
}
async function createVercelBlueGreen(options, hooks = {}) {
    const { createVercelProduction } = await __webpack_require__.e(/* import() */ 730).then(__webpack_require__.bind(__webpack_require__, 79730));
    // Gantry promotes (Vercel's alias job).
    return new BlueGreenPlatform('vercel', 'gantry', createVercelProduction(options, hooks));
}
async function createEcsBlueGreen(options) {
    const { createEcsDeployments } = await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(212), __webpack_require__.e(140)]).then(__webpack_require__.bind(__webpack_require__, 68140));
    // ECS moves production traffic itself once Gantry lets it past the hook; it logs its own progress (shared/log).
    return new BlueGreenPlatform('ecs', 'platform', createEcsDeployments(options));
}


/***/ })

};
