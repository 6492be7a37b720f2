export const id = 237;
export const ids = [237];
export const modules = {

/***/ 2237:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   reportToSentry: () => (/* binding */ reportToSentry)
/* harmony export */ });
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5931);
/**
 * Reports the action's own failures to Sentry when a DSN is given. `@sentry/node` is imported
 * lazily (its import alone costs ~0.45 s), without default integrations (we only send one
 * event), and flushed before the process exits.
 */

async function reportToSentry(dsn, error, context) {
    const Sentry = await __webpack_require__.e(/* import() */ 519).then(__webpack_require__.bind(__webpack_require__, 519));
    Sentry.init({
        dsn,
        defaultIntegrations: false,
        tracesSampleRate: 0,
        release: process.env.GITHUB_SHA,
        environment: process.env.INPUT_ENVIRONMENT || undefined,
        beforeSend(event) {
            // Scrub every string the event carries of registered secrets.
            return JSON.parse((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(JSON.stringify(event)));
        },
    });
    Sentry.setTags({
        action: context.action,
        kind: context.kind,
        repository: process.env.GITHUB_REPOSITORY ?? '',
        workflow: process.env.GITHUB_WORKFLOW ?? '',
        run_id: process.env.GITHUB_RUN_ID ?? '',
    });
    Sentry.captureException(error);
    return Sentry.close(5000);
}


/***/ })

};
