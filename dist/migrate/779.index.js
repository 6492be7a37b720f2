export const id = 779;
export const ids = [779];
export const modules = {

/***/ 9779:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runExternal: () => (/* binding */ runExternal)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./shared/core/log.ts
var log = __webpack_require__(7046);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./shared/core/errors.ts
var errors = __webpack_require__(6677);
;// CONCATENATED MODULE: ./actions/migrate/src/external.ts
/**
 * `engine: prisma` and `engine: command`: someone else's migration tool, run as argv (no shell)
 * under our advisory lock, our deadline and cancellation, with DATABASE_URL set. Its output is
 * streamed to the log (redacted).
 *
 * child_process rather than @actions/exec: exec gives no handle on the child, so a cancelled job
 * could not stop a migration tool mid-run (SIGTERM, then SIGKILL after a grace period).
 */





/** The project's own prisma CLI: node_modules/.bin/prisma from the working directory up, else on PATH. */
function findPrisma(cwd) {
    for (let dir = (0,external_node_path_.resolve)(cwd);; dir = (0,external_node_path_.dirname)(dir)) {
        const bin = (0,external_node_path_.join)(dir, 'node_modules', '.bin', 'prisma');
        if ((0,external_node_fs_.existsSync)(bin))
            return bin;
        if ((0,external_node_path_.dirname)(dir) === dir)
            break;
    }
    for (const dir of (process.env.PATH ?? '').split(':')) {
        if (dir && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, 'prisma')))
            return (0,external_node_path_.join)(dir, 'prisma');
    }
    throw new errors/* ConfigurationError */.j1(`engine: prisma needs the project's Prisma CLI: none in node_modules/.bin from ${cwd} upwards, nor on PATH. Run npm ci (prisma as a devDependency) before this step; the action never downloads it.`, { input: 'engine' });
}
async function runCommand(argv, o) {
    const [file, ...args] = argv;
    const started = performance.now();
    return new Promise((resolvePromise, reject) => {
        const child = (0,external_node_child_process_.spawn)(file, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
        let output = '';
        let pending = '';
        const onData = (d) => {
            const text = d.toString();
            output += text;
            pending += text;
            const lines = pending.split(/\r?\n/);
            pending = lines.pop() ?? '';
            for (const line of lines)
                log/* log */.R.info(`  │ ${line}`);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        let killTimer;
        const onAbort = () => {
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 10_000);
        };
        o.signal.addEventListener('abort', onAbort, { once: true });
        child.on('error', (error) => {
            o.signal.removeEventListener('abort', onAbort);
            if (error.code === 'ENOENT')
                reject(new errors/* ConfigurationError */.j1(`Cannot run ${JSON.stringify(file)}: not found (give a program on PATH or a path relative to working-directory).`, { input: 'command' }));
            else
                reject(error);
        });
        child.on('close', (code, signal) => {
            o.signal.removeEventListener('abort', onAbort);
            clearTimeout(killTimer);
            if (pending)
                log/* log */.R.info(`  │ ${pending}`);
            if (o.signal.aborted)
                return reject(o.signal.reason instanceof Error ? o.signal.reason : new errors/* CancelledError */.cc());
            resolvePromise({ code: code ?? (signal ? 128 : 1), output, ms: performance.now() - started });
        });
    });
}
/** `prisma migrate deploy` output: the names listed under "have been applied". */
function parsePrismaApplied(output) {
    const names = [];
    for (const m of output.matchAll(/└─\s+([^\s/]+)\/?\s*$/gm))
        if (!/\.sql$/.test(m[1]))
            names.push(m[1]);
    return names;
}

;// CONCATENATED MODULE: ./actions/migrate/src/external-engine.ts
/** `engine: prisma` / `engine: command` under the migration lock, with outputs where we can know them. */




/** Prisma's own record of what is applied (finished, not rolled back), oldest first. */
async function prismaApplied(client) {
    const { rows: exists } = await client.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok`);
    if (!exists[0].ok)
        return [];
    const { rows } = await client.query(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`);
    return rows.map((r) => r.migration_name);
}
function prismaFolders(dir) {
    if (!(0,external_node_fs_.existsSync)(dir))
        return [];
    return (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort();
}
async function runExternal(client, o) {
    const readOnly = o.operation === 'plan' || o.operation === 'status';
    const argv = o.engine === 'prisma' ? [findPrisma(o.cwd), 'migrate', readOnly ? 'status' : 'deploy'] : o.argv;
    const shown = o.engine === 'prisma' ? `prisma migrate ${readOnly ? 'status' : 'deploy'}` : argv.join(' ');
    const before = o.engine === 'prisma' ? await prismaApplied(client) : [];
    log/* log */.R.info(`Running ${shown} (no shell) in ${o.cwd}…`);
    const env = {
        DATABASE_URL: o.databaseUrl,
        // Honoured by libpq-based tools (psql, most drivers); Prisma's engine ignores it.
        PGOPTIONS: `-c lock_timeout=${Math.round(o.lockTimeoutMs)} -c statement_timeout=${Math.round(o.statementTimeoutMs)}`,
        GANTRY_OPERATION: o.operation,
    };
    const result = await runCommand(argv, { cwd: o.cwd, env, signal: o.signal });
    const after = o.engine === 'prisma' ? await prismaApplied(client) : [];
    const folders = o.engine === 'prisma' ? prismaFolders(o.migrationsDir) : [];
    const outcome = {
        command: shown,
        code: result.code,
        ms: result.ms,
        applied: after.filter((m) => !before.includes(m)),
        pending: folders.filter((f) => !after.includes(f)),
        pendingCount: o.engine === 'prisma' ? folders.filter((f) => !after.includes(f)).length : undefined,
        version: after.at(-1) ?? '',
        previousVersion: before.at(-1) ?? '',
    };
    // `prisma migrate status` exits 1 when migrations are pending: that is its answer, not a failure.
    if (result.code !== 0 && !(o.engine === 'prisma' && readOnly)) {
        throw Object.assign(new Error(`${shown} exited with code ${result.code} after ${Math.round(result.ms)} ms (see its output above).`), { external: outcome });
    }
    return outcome;
}


/***/ })

};
