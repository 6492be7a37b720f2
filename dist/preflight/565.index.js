export const id = 565;
export const ids = [565];
export const modules = {

/***/ 87565:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HISTORY: () => (/* binding */ HISTORY),
/* harmony export */   HISTORY_SCHEMA: () => (/* binding */ HISTORY_SCHEMA),
/* harmony export */   HISTORY_TABLE: () => (/* binding */ HISTORY_TABLE),
/* harmony export */   checkRecorded: () => (/* binding */ checkRecorded),
/* harmony export */   ensureHistory: () => (/* binding */ ensureHistory),
/* harmony export */   historyExists: () => (/* binding */ historyExists),
/* harmony export */   readHistory: () => (/* binding */ readHistory),
/* harmony export */   recordApplied: () => (/* binding */ recordApplied),
/* harmony export */   removeApplied: () => (/* binding */ removeApplied),
/* harmony export */   runMeta: () => (/* binding */ runMeta)
/* harmony export */ });
/* harmony import */ var _shared_core_context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58367);

// Not `gantry`: a schema named like the connecting role sits first on the default search_path ("$user", public)
// and would capture every table the migrations create.
const HISTORY_SCHEMA = '_gantry';
const HISTORY_TABLE = 'migrations';
const HISTORY = `"${HISTORY_SCHEMA}"."${HISTORY_TABLE}"`;
async function historyExists(client) {
    const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS ok', [HISTORY]);
    return rows[0].ok;
}
async function ensureHistory(client) {
    if (await historyExists(client))
        return;
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${HISTORY_SCHEMA}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${HISTORY} (
    version        text PRIMARY KEY,
    name           text NOT NULL,
    checksum       text NOT NULL,
    transactional  boolean NOT NULL,
    execution_ms   integer NOT NULL,
    applied_at     timestamptz NOT NULL DEFAULT now(),
    applied_by     text,
    commit_sha     text,
    run_url        text,
    backup_id      text
  )`);
}
async function readHistory(client) {
    if (!(await historyExists(client)))
        return [];
    const { rows } = await client.query(`SELECT version, name, checksum, applied_at, execution_ms, applied_by, commit_sha FROM ${HISTORY}`);
    return rows.map((r) => ({
        version: r.version,
        name: r.name,
        checksum: r.checksum,
        appliedAt: r.applied_at,
        executionMs: r.execution_ms,
        appliedBy: r.applied_by ?? undefined,
        commitSha: r.commit_sha ?? undefined,
    }));
}
/** Who and what applied a migration, from the runner's environment. */
function runMeta(backupId) {
    const c = (0,_shared_core_context_js__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._)();
    return { actor: c.actor || undefined, commitSha: c.sha || undefined, runUrl: c.runUrl, backupId };
}
async function recordApplied(client, m, meta) {
    const { rows } = await client.query(`INSERT INTO ${HISTORY} (version, name, checksum, transactional, execution_ms, applied_by, commit_sha, run_url, backup_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING txid_current()::text AS xid`, [m.version, m.name, m.checksum, m.transactional, Math.round(m.executionMs), meta.actor ?? null, meta.commitSha ?? null, meta.runUrl ?? null, meta.backupId ?? null]);
    return rows[0]?.xid;
}
async function removeApplied(client, version) {
    const { rows } = await client.query(`DELETE FROM ${HISTORY} WHERE version = $1 RETURNING txid_current()::text AS xid`, [version]);
    return rows[0]?.xid;
}
/**
 * After a file: the transaction that wrote its history change (`xid`) committed, and — in a new
 * statement, so from the committed state — the row is there (or gone). A problem, or undefined.
 */
async function checkRecorded(client, xid, version, present) {
    if (!xid)
        return `its history row was not ${present ? 'written' : 'deleted'} (something in the database swallowed the change)`;
    const { rows } = await client.query(`SELECT txid_status($1::bigint) AS status, EXISTS (SELECT 1 FROM ${HISTORY} WHERE version = $2) AS found`, [xid, version]);
    const { status, found } = rows[0];
    if (status !== 'committed')
        return `its transaction (${xid}) is ${status ?? 'unknown'}, not committed, after it should have committed`;
    if (found !== present)
        return present ? 'its history row is missing after COMMIT' : 'its history row is still there after COMMIT';
    return undefined;
}


/***/ })

};
