export const id = 766;
export const ids = [766,626];
export const modules = {

/***/ 18626:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checksum: () => (/* binding */ checksum),
/* harmony export */   compareVersions: () => (/* binding */ compareVersions),
/* harmony export */   isVersion: () => (/* binding */ isVersion),
/* harmony export */   readMigrations: () => (/* binding */ readMigrations)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46677);
/** The migrations folder: `<version>_<name>.sql` and optional `<version>_<name>.down.sql`. */




const PATTERN = /^(\d+)_([A-Za-z0-9][\w.\-]*?)(\.down)?\.sql$/;
/** SHA-256 of the file with line endings normalised (a checkout with CRLF is not drift). */
function checksum(sql) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}
function compareVersions(a, b) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
function isVersion(text) {
    return /^\d+$/.test(text);
}
/** Reads and orders the migrations; a malformed folder is the user's mistake, named precisely. */
function readMigrations(dir, workspace) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(dir) || !(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(dir).isDirectory()) {
        throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Input 'migrations-dir' is ${JSON.stringify((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(workspace, dir) || '.')}: no such directory; give the folder that holds <version>_<name>.sql files (relative to working-directory).`, { input: 'migrations-dir' });
    }
    const ups = new Map();
    const downs = new Map();
    for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(dir).sort()) {
        if (!entry.endsWith('.sql'))
            continue;
        const full = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, entry);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(full).isFile())
            continue;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(workspace, full);
        const m = PATTERN.exec(entry);
        if (!m) {
            throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Migration file ${path} is not named <version>_<name>.sql (version: digits, e.g. 20260101120000_add_orders.sql).`, { file: path });
        }
        const [, version, name, down] = m;
        const sql = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(full, 'utf8');
        const file = { path, sql, checksum: checksum(sql) };
        const key = BigInt(version).toString();
        if (down) {
            if (downs.has(key))
                throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Two down migrations have version ${version}: ${downs.get(key).file.path} and ${path}.`, { file: path });
            downs.set(key, { name, file });
        }
        else {
            const other = ups.get(key);
            if (other)
                throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Two migrations have version ${version}: ${other.path} and ${path}; versions must be unique.`, { file: path });
            ups.set(key, { ...file, version, name });
        }
    }
    for (const [key, { name, file }] of downs) {
        const up = ups.get(key);
        if (!up)
            throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Down migration ${file.path} has no matching up migration (${name}.sql with the same version).`, { file: file.path });
        if (up.name !== name)
            throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Down migration ${file.path} does not match ${up.path}: use the same <version>_<name>.`, { file: file.path });
        up.down = file;
    }
    return [...ups.values()].sort((a, b) => compareVersions(a.version, b.version));
}


/***/ }),

/***/ 9766:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   makePlan: () => (/* binding */ makePlan),
/* harmony export */   rollbackSteps: () => (/* binding */ rollbackSteps)
/* harmony export */ });
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(18626);
/** What to do, decided from the files and the history table alone (pure, unit-tested). */

const same = (a, b) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(a, b) === 0;
function makePlan(unsorted, rows, target) {
    const files = [...unsorted].sort((a, b) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(a.version, b.version));
    const applied = [...rows].sort((a, b) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(a.version, b.version));
    const current = applied.at(-1)?.version ?? '';
    const drift = [];
    for (const row of applied) {
        const file = files.find((f) => same(f.version, row.version));
        if (!file)
            drift.push({ version: row.version, path: `${row.version}_${row.name}.sql`, kind: 'missing' });
        else if (file.checksum !== row.checksum)
            drift.push({ version: row.version, path: file.path, kind: 'changed' });
    }
    const pending = files.filter((f) => !applied.some((r) => same(r.version, f.version)));
    const outOfOrder = current ? pending.filter((f) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(f.version, current) < 0) : [];
    const toApply = target === undefined ? pending : pending.filter((f) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(f.version, target) <= 0);
    return { current, applied, pending, toApply, drift, outOfOrder };
}
/** Applied migrations above `target`, newest first; with no target, the newest one. */
function rollbackSteps(plan, files, target) {
    const newestFirst = [...plan.applied].reverse();
    const rows = target === undefined ? newestFirst.slice(0, 1) : newestFirst.filter((r) => (0,_files_js__WEBPACK_IMPORTED_MODULE_0__.compareVersions)(r.version, target) > 0);
    return rows.map((row) => ({ row, file: files.find((f) => same(f.version, row.version)) }));
}


/***/ })

};
