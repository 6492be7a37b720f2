export const id = 685;
export const ids = [685];
export const modules = {

/***/ 63685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   inspectCertificate: () => (/* binding */ inspectCertificate)
/* harmony export */ });
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_1__);
/** The certificate an HTTPS origin presents: who issued it, when it expires, whether it is trusted. */


function inspectCertificate(origin, options) {
    const url = new URL(origin);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    return new Promise((resolve) => {
        let done = false;
        const finish = (info) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
            socket.destroy();
            resolve(info);
        };
        // Not verifying here is deliberate: we want the dates even from a certificate that is not
        // trusted; `authorizationError` says whether it is.
        const socket = (0,node_tls__WEBPACK_IMPORTED_MODULE_0__.connect)({ host, port, servername: (0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
            const cert = socket.getPeerCertificate();
            if (!cert || !cert.valid_to)
                return finish({ origin, error: 'the server presented no certificate' });
            const validTo = new Date(cert.valid_to);
            finish({
                origin,
                subject: first(cert.subject?.CN) ?? cert.subjectaltname,
                issuer: first(cert.issuer?.CN) ?? first(cert.issuer?.O),
                validTo: validTo.toISOString(),
                daysLeft: Math.floor((validTo.getTime() - (options.now ?? Date.now())) / 86_400_000),
                untrusted: socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted'),
            });
        });
        socket.on('error', (error) => finish({ origin, error: error.message }));
        const timer = setTimeout(() => finish({ origin, error: `no TLS handshake within ${options.timeoutMs}ms` }), options.timeoutMs);
        const onAbort = () => finish({ origin, error: 'cancelled' });
        options.signal?.addEventListener('abort', onAbort, { once: true });
    });
}
const first = (v) => (Array.isArray(v) ? v[0] : v);


/***/ })

};
