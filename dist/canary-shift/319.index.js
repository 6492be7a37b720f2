export const id = 319;
export const ids = [319];
export const modules = {

/***/ 64319:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   github: () => (/* binding */ github)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(11758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(49735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(86856);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77046);
/* harmony import */ var _core_context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(58367);
/**
 * Every GitHub API call goes through this Octokit: @actions/github's client (honours
 * GITHUB_API_URL, so GitHub Enterprise Server and the test stand-in work), with pagination,
 * retries of 5xx and network faults, and rate-limit handling that waits as GitHub asks
 * (Retry-After) a bounded number of times. Import it lazily: only paths that talk to GitHub pay
 * for loading it.
 */





/**
 * fetch for Octokit: a request whose signal was aborted (the job cancelled, the call's budget
 * spent) fails as an AbortError, which Octokit's retry plugin does not retry. Any other failed
 * fetch becomes a RequestError that it retries — an aborted one would wait 1 + 4 + 9 s for nothing.
 */
const fetchUntilAborted = async (input, init) => {
    try {
        return await fetch(input, init);
    }
    catch (error) {
        if (!init?.signal?.aborted)
            throw error;
        const reason = init.signal.reason;
        throw Object.assign(new Error(reason?.message ?? 'aborted'), { name: 'AbortError', cause: error });
    }
};
function github(options) {
    const rateLimitRetries = options.rateLimitRetries ?? 2;
    const onLimit = (kind) => (retryAfter, request, _octokit, retryCount) => {
        const again = retryCount < rateLimitRetries && retryAfter <= 60;
        _core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`GitHub API: ${kind} on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter}s` : 'giving up'}`);
        return again;
    };
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, {
        baseUrl: options.apiUrl ?? (0,_core_context_js__WEBPACK_IMPORTED_MODULE_2__/* .context */ ._)().apiUrl,
        userAgent: 'gantry',
        request: { fetch: fetchUntilAborted },
        retry: { retryAfterBaseValue: options.retryBaseMs ?? Number(process.env.GANTRY_GITHUB_RETRY_MS || 1000) },
        throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
        log: { debug: () => { }, info: () => { }, warn: (m) => _core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.debug(m), error: (m) => _core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.debug(m) },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__/* .throttling */ .A);
}


/***/ })

};
