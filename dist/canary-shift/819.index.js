export const id = 819;
export const ids = [819];
export const modules = {

/***/ 5819:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   reportToSentry: () => (/* binding */ reportToSentry)
/* harmony export */ });
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(58367);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(40541);
/**
 * Reports the action's own failures to Sentry when a DSN is given. `@sentry/node` is imported
 * lazily (its import alone costs ~0.45 s), without default integrations (we only send one
 * event), and flushed before the process exits.
 */


async function reportToSentry(dsn, error, about) {
    const Sentry = await __webpack_require__.e(/* import() */ 519).then(__webpack_require__.bind(__webpack_require__, 10519));
    const run = (0,_context_js__WEBPACK_IMPORTED_MODULE_1__/* .context */ ._)();
    Sentry.init({
        dsn,
        defaultIntegrations: false,
        tracesSampleRate: 0,
        release: run.sha || undefined,
        environment: process.env.INPUT_ENVIRONMENT || undefined,
        beforeSend(event) {
            // Scrub every string the event carries of registered secrets.
            return JSON.parse((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(JSON.stringify(event)));
        },
    });
    Sentry.setTags({
        action: about.action,
        kind: about.kind,
        repository: run.repository,
        workflow: run.workflowRef,
        run_id: run.runId,
    });
    Sentry.captureException(error);
    return Sentry.close(5000);
}


/***/ })

};
