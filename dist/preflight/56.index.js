export const id = 56;
export const ids = [56,626,766,186];
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

/***/ 38186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   databaseLintContext: () => (/* binding */ databaseLintContext)
/* harmony export */ });
/* harmony import */ var _lint_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(47128);

async function databaseLintContext(client, serverVersionNum) {
    // A validated single-column CHECK (col IS NOT NULL): SET NOT NULL on col then needs no scan (PostgreSQL 12+).
    const checks = await client.query(`
    SELECT lower(c.relname) || '.' || lower(a.attname) AS key
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'c' AND k.convalidated AND cardinality(k.conkey) = 1
      AND pg_get_constraintdef(k.oid) = format('CHECK ((%s IS NOT NULL))', quote_ident(a.attname))`);
    // Names whose every overload is volatile: a DEFAULT calling one rewrites the table.
    const volatile = await client.query(`SELECT lower(proname) AS name FROM pg_proc GROUP BY 1 HAVING bool_and(provolatile = 'v')`);
    return (0,_lint_js__WEBPACK_IMPORTED_MODULE_0__/* .lintContext */ .l$)({ serverVersionNum, notNullChecks: checks.rows.map((r) => r.key), volatileFunctions: volatile.rows.map((r) => r.name) });
}


/***/ }),

/***/ 47128:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l$: () => (/* binding */ lintContext),
/* harmony export */   un: () => (/* binding */ lintStatements)
/* harmony export */ });
/* unused harmony export RULES */
/** Every rule (the README's table lists each; a test checks it). */
const RULES = [
    'drop-table',
    'drop-schema',
    'drop-database',
    'truncate',
    'drop-column',
    'drop-not-null',
    'add-column-not-null',
    'add-column-volatile-default',
    'add-column-generated-stored',
    'column-type-change',
    'set-not-null',
    'index-not-concurrent',
    'drop-index-not-concurrent',
    'reindex-not-concurrent',
    'detach-partition-not-concurrent',
    'constraint-builds-index',
    'foreign-key-not-valid',
    'check-not-valid',
    'validate-in-same-file',
    'alter-domain-add-constraint',
    'rename',
    'delete-without-where',
    'update-without-where',
    'vacuum-full',
    'cluster',
    'non-transactional-mixed',
    'ignore-comment',
    'syntax',
    'transaction-control',
];
/** PostgreSQL's volatile functions that show up in defaults, for when the database's list is not at hand. */
const BUILTIN_VOLATILE = ['random', 'random_normal', 'gen_random_uuid', 'gen_random_bytes', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'setval'];
const SERIAL = new Set(['smallserial', 'serial2', 'serial', 'serial4', 'bigserial', 'serial8']);
function lintContext(facts = {}) {
    return {
        serverVersionNum: facts.serverVersionNum ?? 170000,
        createdTables: new Set(),
        notNullChecks: new Set(facts.notNullChecks),
        unvalidatedChecks: new Map(),
        volatileFunctions: new Set([...BUILTIN_VOLATILE, ...(facts.volatileFunctions ?? [])]),
        lineOf: () => undefined,
    };
}
const obj = (v) => (v && typeof v === 'object' ? v : {});
const arr = (v) => (Array.isArray(v) ? v : []);
const names = (list) => arr(list).map((n) => String(obj(n.String).sval ?? ''));
function relName(relation) {
    const r = obj(relation);
    return [r.schemaname, r.relname].filter(Boolean).join('.') || '?';
}
function relKey(relation) {
    return String(obj(relation).relname ?? '').toLowerCase();
}
/** A dropped object's name: `a.b` (a List of names) or `a` (a bare String, e.g. a schema). */
function objectName(o) {
    if (o.List)
        return names(obj(o.List).items).join('.') || '?';
    return String(obj(o.String).sval ?? '?');
}
/** The first function in `expr` (anywhere in it) whose name is volatile. */
function volatileCall(expr, volatile) {
    if (!expr || typeof expr !== 'object')
        return undefined;
    const call = obj(expr.FuncCall);
    const name = names(call.funcname).at(-1)?.toLowerCase();
    if (name && volatile.has(name))
        return name;
    for (const v of Object.values(expr)) {
        const found = volatileCall(v, volatile);
        if (found)
            return found;
    }
    return undefined;
}
/** `col` when the expression is `col IS NOT NULL`. */
function notNullColumn(expr) {
    const test = obj(obj(expr).NullTest);
    if (test.nulltesttype !== 'IS_NOT_NULL')
        return undefined;
    const fields = names(obj(obj(test.arg).ColumnRef).fields);
    return fields.length === 1 ? fields[0].toLowerCase() : undefined;
}
/**
 * `gantry-lint: ignore …` comments above the statement. The text before the statement starts right
 * after the previous `;`: what is on that line still belongs to the previous statement.
 */
function ignoreComments(s, first) {
    const above = first ? s.leading : s.leading.slice(s.leading.indexOf('\n') + 1);
    return [...above.matchAll(/gantry-lint:\s*ignore\s+([\w-]+(?:\s*,\s*[\w-]+)*)[ \t]*([^\n]*)/gi)].map((m) => ({
        rules: m[1].split(/\s*,\s*/).map((r) => r.toLowerCase()),
        reason: m[2].replace(/\*\/\s*$/, '').replace(/^[\s:—–-]+/, '').trim(),
    }));
}
/** Lints one file's statements; updates the context with what the file creates and validates. */
function lintStatements(statements, context) {
    const findings = [];
    const accepted = [];
    // Constraints added NOT VALID in this file (its one transaction): `table.constraint` → line.
    const notValidHere = new Map();
    const version = context.serverVersionNum;
    for (const [index, s] of statements.entries()) {
        const ignores = ignoreComments(s, index === 0);
        for (const i of ignores) {
            const unknown = i.rules.filter((r) => r !== 'all' && !RULES.includes(r));
            if (unknown.length)
                findings.push({ rule: 'ignore-comment', message: `gantry-lint: ignore names no known rule ${unknown.join(', ')} (rules: see the migrate README).`, line: s.line });
            if (!i.reason)
                findings.push({ rule: 'ignore-comment', message: `gantry-lint: ignore ${i.rules.join(', ')} gives no reason, so it accepts nothing: write why after the rule, e.g. -- gantry-lint: ignore ${i.rules[0]} table is empty.`, line: s.line });
        }
        const add = (rule, message, location) => {
            const line = context.lineOf(location) ?? s.line;
            const ignore = ignores.find((i) => i.reason && (i.rules.includes(rule) || i.rules.includes('all')));
            if (ignore)
                accepted.push({ rule, message, line, reason: ignore.reason });
            else
                findings.push({ rule, message, line });
        };
        const outside = context.outsideTransaction;
        if (index === 0 && outside && statements.length > 1) {
            add('non-transactional-mixed', `This file runs outside a transaction (${outside}) and has ${statements.length} statements: a failure leaves the earlier ones applied and the file unrecorded. Put ${outside} in a migration of its own.`);
        }
        const n = s.node;
        const isNew = (relation) => context.createdTables.has(relKey(relation));
        switch (s.kind) {
            case 'CreateStmt':
            case 'CreateTableAsStmt': {
                const rel = s.kind === 'CreateStmt' ? n.relation : obj(n.into).rel;
                context.createdTables.add(relKey(rel));
                break;
            }
            case 'CreateFunctionStmt': {
                // A function is VOLATILE unless it says otherwise.
                const volatility = arr(n.options).map((o) => obj(o.DefElem)).find((d) => d.defname === 'volatility');
                const name = names(n.funcname).at(-1).toLowerCase();
                if (String(obj(obj(volatility?.arg).String).sval ?? 'volatile') === 'volatile')
                    context.volatileFunctions.add(name);
                else
                    context.volatileFunctions.delete(name);
                break;
            }
            case 'DropStmt': {
                const type = String(n.removeType);
                const what = arr(n.objects).map(objectName).join(', ');
                if (type === 'OBJECT_TABLE')
                    add('drop-table', `DROP TABLE ${what} deletes the table and its data (ACCESS EXCLUSIVE); the release still running reads it. Stop using it first, drop it in a later release, after a backup.`);
                else if (type === 'OBJECT_SCHEMA')
                    add('drop-schema', `DROP SCHEMA ${what} deletes everything in it${n.behavior === 'DROP_CASCADE' ? ' (CASCADE: tables included)' : ''}; the release still running uses it. Move what it holds first, drop it in a later release, after a backup.`);
                else if (type === 'OBJECT_INDEX' && !n.concurrent)
                    add('drop-index-not-concurrent', `DROP INDEX ${what} takes an ACCESS EXCLUSIVE lock on its table (reads and writes wait); use DROP INDEX CONCURRENTLY, in a migration of its own.`);
                break;
            }
            case 'DropdbStmt':
                add('drop-database', `DROP DATABASE ${String(n.dbname)} deletes a whole database and cannot be rolled back. Do it by hand, after a backup, not in a migration.`);
                break;
            case 'TruncateStmt':
                add('truncate', `TRUNCATE ${arr(n.relations).map((r) => relName(r.RangeVar)).join(', ')}${n.behavior === 'DROP_CASCADE' ? ' CASCADE' : ''} deletes every row under an ACCESS EXCLUSIVE lock. Delete in batches, or do it by hand after a backup.`);
                break;
            case 'DeleteStmt':
                if (!n.whereClause)
                    add('delete-without-where', `DELETE FROM ${relName(n.relation)} without WHERE deletes every row in one transaction (row locks on all of them). Delete in batches with a WHERE.`, obj(n.relation).location);
                break;
            case 'UpdateStmt':
                if (!n.whereClause)
                    add('update-without-where', `UPDATE ${relName(n.relation)} without WHERE rewrites every row in one transaction (row locks on all of them, writes to them wait); backfill in batches.`, obj(n.relation).location);
                break;
            case 'RenameStmt': {
                const type = String(n.renameType).replace('OBJECT_', '').toLowerCase();
                const what = n.subname ? `${relName(n.relation)}.${String(n.subname)}` : relName(n.relation);
                if (['table', 'column', 'view', 'materialized_view'].includes(type) && !isNew(n.relation)) {
                    add('rename', `Renaming ${type} ${what} to ${String(n.newname)} breaks the release still running (blue-green/canary). Add the new name, copy and use it, drop the old one in a later release.`, obj(n.relation).location);
                }
                break;
            }
            case 'IndexStmt':
                if (!n.concurrent && !isNew(n.relation)) {
                    const name = n.idxname ? `${String(n.idxname)} ` : '';
                    add('index-not-concurrent', `CREATE INDEX ${name}on ${relName(n.relation)} takes a SHARE lock: writes to the table wait while it builds. Use CREATE INDEX CONCURRENTLY, in a migration of its own.`, obj(n.relation).location);
                }
                break;
            case 'ReindexStmt': {
                const concurrent = arr(n.params).some((p) => obj(p.DefElem).defname === 'concurrently');
                if (concurrent || (n.relation && isNew(n.relation)))
                    break;
                const what = n.relation ? relName(n.relation) : String(n.name ?? '');
                const safe = version >= 120000
                    ? 'use REINDEX … CONCURRENTLY, in a migration of its own'
                    : 'PostgreSQL < 12 has no REINDEX CONCURRENTLY: build a replacement with CREATE INDEX CONCURRENTLY, then DROP INDEX CONCURRENTLY the old one';
                add('reindex-not-concurrent', `REINDEX ${String(n.kind).replace('REINDEX_OBJECT_', '')} ${what} takes a SHARE lock on the table (writes wait) and ACCESS EXCLUSIVE on each index (queries using it wait) while it rebuilds; ${safe}.`, obj(n.relation).location);
                break;
            }
            case 'VacuumStmt':
                if (arr(n.options).some((o) => obj(o.DefElem).defname === 'full'))
                    add('vacuum-full', 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock (reads and writes wait). Use pg_repack, or plain VACUUM.');
                break;
            case 'ClusterStmt':
                add('cluster', 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock (reads and writes wait). Use pg_repack.');
                break;
            case 'AlterDomainStmt': {
                const domain = names(n.typeName).join('.');
                const con = obj(obj(n.def).Constraint);
                const scans = (n.subtype === 'C' && !con.skip_validation) || n.subtype === 'V';
                if (scans) {
                    add('alter-domain-add-constraint', `ALTER DOMAIN ${domain} ${n.subtype === 'C' ? 'ADD' : 'VALIDATE'} CONSTRAINT checks every column of that domain in every table, holding a SHARE lock on each (writes wait) through the scans; NOT VALID + VALIDATE does not help (VALIDATE takes the same lock). Put a CHECK constraint on the tables' columns instead (NOT VALID, then VALIDATE in a later migration).`, con.location);
                }
                break;
            }
            case 'AlterTableStmt':
                alterTable(s, n, context, notValidHere, add);
                break;
            default:
                break;
        }
    }
    return { findings, accepted };
}
function alterTable(s, n, context, notValidHere, add) {
    const table = relName(n.relation);
    const key = relKey(n.relation);
    const fresh = context.createdTables.has(key);
    const version = context.serverVersionNum;
    for (const c of arr(n.cmds)) {
        const cmd = obj(c.AlterTableCmd);
        const def = obj(cmd.def);
        const col = String(cmd.name ?? '');
        switch (cmd.subtype) {
            case 'AT_DropColumn':
                add('drop-column', `DROP COLUMN ${table}.${col} deletes data and breaks the release still running (ACCESS EXCLUSIVE, brief). Stop using the column first, drop it in a later release.`);
                break;
            case 'AT_DropNotNull':
                if (!fresh)
                    add('drop-not-null', `DROP NOT NULL on ${table}.${col}: the release still running may rely on it never being NULL (ACCESS EXCLUSIVE, brief). Ship code that copes with NULL first, drop the constraint in a later release.`);
                break;
            case 'AT_AlterColumnType':
                if (!fresh)
                    add('column-type-change', `Changing the type of ${table}.${col} may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait). Add a new column, backfill it in batches, switch over, drop the old one later.`, obj(def.ColumnDef).location);
                break;
            case 'AT_SetNotNull': {
                if (fresh)
                    break;
                // PostgreSQL 12+ skips the scan when a validated CHECK (col IS NOT NULL) proves it.
                if (version >= 120000 && context.notNullChecks.has(`${key}.${col.toLowerCase()}`))
                    break;
                const safe = version >= 120000
                    ? `add CHECK (${col} IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (no scan)`
                    : `PostgreSQL < 12 always scans here: keep a CHECK (${col} IS NOT NULL) constraint (NOT VALID, then VALIDATE) instead of NOT NULL`;
                add('set-not-null', `SET NOT NULL on ${table}.${col} scans the whole table under an ACCESS EXCLUSIVE lock (reads and writes wait); ${safe}.`);
                break;
            }
            case 'AT_AddColumn':
                if (!fresh)
                    addColumn(table, obj(def.ColumnDef), context, add);
                break;
            case 'AT_AddConstraint': {
                const con = obj(def.Constraint);
                const name = con.conname ? `${String(con.conname)} ` : '';
                const nullChecked = con.contype === 'CONSTR_CHECK' ? notNullColumn(con.raw_expr) : undefined;
                if (nullChecked && con.skip_validation && con.conname)
                    context.unvalidatedChecks.set(`${key}.${String(con.conname).toLowerCase()}`, nullChecked);
                if (nullChecked && !con.skip_validation)
                    context.notNullChecks.add(`${key}.${nullChecked}`);
                if (fresh)
                    break;
                if (con.skip_validation && con.conname)
                    notValidHere.set(`${key}.${String(con.conname).toLowerCase()}`, context.lineOf(con.location) ?? s.line);
                if (con.contype === 'CONSTR_FOREIGN' && !con.skip_validation) {
                    add('foreign-key-not-valid', `FOREIGN KEY ${name}on ${table} checks every row while holding SHARE ROW EXCLUSIVE on both tables (writes wait); add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.`, con.location);
                }
                else if (con.contype === 'CONSTR_CHECK' && !con.skip_validation) {
                    add('check-not-valid', `CHECK ${name}on ${table} scans the table under an ACCESS EXCLUSIVE lock (reads and writes wait); add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.`, con.location);
                }
                else if ((con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') && !con.indexname) {
                    add('constraint-builds-index', `Adding a ${con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE constraint'} on ${table} builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait); CREATE UNIQUE INDEX CONCURRENTLY first (own migration), then ADD CONSTRAINT … USING INDEX.`, con.location);
                }
                break;
            }
            case 'AT_ValidateConstraint': {
                const conKey = `${key}.${col.toLowerCase()}`;
                const checked = context.unvalidatedChecks.get(conKey);
                if (checked) {
                    context.notNullChecks.add(`${key}.${checked}`);
                    context.unvalidatedChecks.delete(conKey);
                }
                const addedAt = notValidHere.get(conKey);
                if (addedAt !== undefined) {
                    add('validate-in-same-file', `VALIDATE CONSTRAINT ${col} runs in the same transaction as its ADD … NOT VALID (line ${addedAt}): the ADD's lock (ACCESS EXCLUSIVE for a CHECK; SHARE ROW EXCLUSIVE on both tables for a FOREIGN KEY) is held through the whole validating scan. Move VALIDATE CONSTRAINT to a later migration file.`);
                }
                break;
            }
            case 'AT_DetachPartition': {
                const partition = obj(def.PartitionCmd);
                if (partition.concurrent || fresh)
                    break;
                const safe = version >= 140000 ? 'use DETACH PARTITION … CONCURRENTLY, in a migration of its own' : 'PostgreSQL < 14 has no CONCURRENTLY form: run it when the table is quiet, with a short lock-timeout';
                add('detach-partition-not-concurrent', `DETACH PARTITION ${relName(partition.name)} takes an ACCESS EXCLUSIVE lock on ${table} (every query on the partitioned table waits); ${safe}.`, obj(partition.name).location);
                break;
            }
            default:
                break;
        }
    }
}
function addColumn(table, cd, context, add) {
    const column = `${table}.${String(cd.colname)}`;
    const cons = arr(cd.constraints).map((x) => obj(x.Constraint));
    const has = (type) => cons.find((x) => x.contype === type);
    const type = names(obj(cd.typeName).names).at(-1)?.toLowerCase() ?? '';
    const serial = SERIAL.has(type);
    const generated = has('CONSTR_GENERATED');
    const identity = has('CONSTR_IDENTITY');
    const dflt = has('CONSTR_DEFAULT');
    const rewrite = 'rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait)';
    if ((has('CONSTR_NOTNULL') || has('CONSTR_PRIMARY')) && !dflt && !serial && !identity && !generated) {
        add('add-column-not-null', `ADD COLUMN ${column} NOT NULL without a DEFAULT fails on a table with rows and breaks inserts of the release still running; add a constant DEFAULT, or add it nullable and backfill.`, cd.location);
    }
    if (generated) {
        add('add-column-generated-stored', `ADD COLUMN ${column} GENERATED … STORED computes every existing row: it ${rewrite}. Add a plain nullable column, fill new rows with a trigger, backfill the old ones in batches.`, cd.location);
    }
    else if (serial || identity) {
        add('add-column-volatile-default', `ADD COLUMN ${column} ${serial ? type : 'GENERATED … AS IDENTITY'} fills every existing row from a sequence: it ${rewrite}. Add a plain bigint column, backfill it in batches, then SET DEFAULT nextval(…) or ADD GENERATED … AS IDENTITY.`, cd.location);
    }
    else if (dflt) {
        const fn = volatileCall(dflt.raw_expr, context.volatileFunctions);
        const isNull = obj(obj(dflt.raw_expr).A_Const).isnull === true;
        if (fn)
            add('add-column-volatile-default', `ADD COLUMN ${column} with a volatile DEFAULT (${fn}()) ${rewrite}. Add the column without it, SET DEFAULT afterwards (new rows only), backfill old rows in batches.`, cd.location);
        else if (context.serverVersionNum < 110000 && !isNull)
            add('add-column-volatile-default', `ADD COLUMN ${column} with a DEFAULT ${rewrite} before PostgreSQL 11. Add the column without it, SET DEFAULT afterwards (new rows only), backfill old rows in batches.`, cd.location);
    }
    for (const x of cons) {
        if (x.contype === 'CONSTR_PRIMARY' || x.contype === 'CONSTR_UNIQUE') {
            add('constraint-builds-index', `ADD COLUMN ${column} ${x.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole build). Add the column plain, CREATE UNIQUE INDEX CONCURRENTLY (own migration), then ADD CONSTRAINT … USING INDEX.`, x.location);
        }
        if (x.contype === 'CONSTR_FOREIGN')
            add('foreign-key-not-valid', `A foreign key on ${column} checks every row while holding SHARE ROW EXCLUSIVE on both tables (writes wait); add the column, then the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration.`, x.location);
    }
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


/***/ }),

/***/ 50056:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   lintFiles: () => (/* binding */ lintFiles),
/* harmony export */   refusals: () => (/* binding */ refusals),
/* harmony export */   runSqlEngine: () => (/* binding */ runSqlEngine)
/* harmony export */ });
/* harmony import */ var _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(46677);
/* harmony import */ var _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77046);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(18626);
/* harmony import */ var _history_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(87565);
/* harmony import */ var _lint_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(47128);
/* harmony import */ var _lint_facts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(38186);
/* harmony import */ var _parser_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(50334);
/* harmony import */ var _execute_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(66754);
/* harmony import */ var _transaction_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(96421);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9766);










/** Findings that block apply (and rollback) whatever `lint` says: the file cannot run as written. */
const ALWAYS_BLOCKS = new Set(['syntax', 'transaction-control']);
/** A file PostgreSQL cannot parse, or one with its own transaction control. */
function refusals(p) {
    const path = p.file.path;
    if (p.syntaxError)
        return [{ rule: 'syntax', message: `PostgreSQL cannot parse this file: ${p.syntaxError.message}`, line: p.syntaxError.line, path }];
    return p.transactionControl.map(({ keyword, statement }) => ({ rule: 'transaction-control', message: (0,_transaction_js__WEBPACK_IMPORTED_MODULE_7__/* .transactionControlMessage */ .bC)(keyword, p.nonTransactional), line: statement.line, path }));
}
/** Lints the files `apply` would run, in order; syntax errors and transaction control are findings too. */
function lintFiles(files, prepared, mode, context = (0,_lint_js__WEBPACK_IMPORTED_MODULE_3__/* .lintContext */ .l$)()) {
    const out = [];
    const accepted = [];
    for (const f of files) {
        const p = prepared.get(f.version);
        out.push(...refusals(p));
        if (mode === 'off' || !p.statements)
            continue;
        context.lineOf = (0,_parser_js__WEBPACK_IMPORTED_MODULE_5__/* .byteLineMapper */ .cH)(f.sql);
        context.outsideTransaction = p.nonTransactional;
        const result = (0,_lint_js__WEBPACK_IMPORTED_MODULE_3__/* .lintStatements */ .un)(p.statements, context);
        for (const finding of result.findings)
            out.push({ ...finding, path: f.path });
        for (const a of result.accepted)
            accepted.push({ ...a, path: f.path });
    }
    return { findings: out, accepted };
}
async function runSqlEngine(client, o) {
    const rows = await (0,_history_js__WEBPACK_IMPORTED_MODULE_9__.readHistory)(client);
    const plan = (0,_plan_js__WEBPACK_IMPORTED_MODULE_8__.makePlan)(o.files, rows, o.operation === 'rollback' ? undefined : o.target);
    const outcome = {
        before: plan.current,
        after: plan.current,
        applied: [],
        rolledBack: [],
        pending: plan.pending,
        planned: plan.toApply,
        drift: plan.drift,
        findings: [],
        accepted: [],
        history: plan.applied,
    };
    try {
        return await execute(client, o, plan, outcome);
    }
    catch (error) {
        // What did happen before the failure still belongs in the outputs and summary.
        throw Object.assign(error, { outcome });
    }
}
async function execute(client, o, plan, outcome) {
    if (o.target !== undefined && o.operation !== 'rollback' && plan.current && (0,_files_js__WEBPACK_IMPORTED_MODULE_2__.compareVersions)(o.target, plan.current) < 0 && o.operation === 'apply') {
        throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'target' is "${o.target}", below the current version ${plan.current}: apply only moves forward; use operation: rollback to go back.`, { input: 'target' });
    }
    const changed = plan.drift.filter((d) => d.kind === 'changed');
    for (const d of plan.drift) {
        const text = d.kind === 'changed' ? `Applied migration ${d.path} was changed after it was applied (checksum differs).` : `Applied migration ${d.version} (${d.path}) is no longer in the migrations folder.`;
        if (d.kind === 'changed')
            _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.warning(text, { file: d.path, line: 1, title: 'migrate: drift' });
        else
            _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.warning(text, { title: 'migrate: drift' });
    }
    if (o.operation === 'status')
        return outcome;
    const guard = (mustRefuse) => {
        if (changed.length && !o.allowDrift && mustRefuse) {
            throw new Error(`Refusing to ${o.operation}: ${changed.length} applied migration(s) changed since they were applied (${changed.map((d) => d.path).join(', ')}). ` +
                `Restore the files as they were applied and put the change in a new migration, or set allow-drift: true if the edit is harmless (e.g. a comment).`);
        }
    };
    if (o.operation === 'rollback') {
        guard(true);
        if (o.target !== undefined && o.target !== '0' && !plan.applied.some((r) => (0,_files_js__WEBPACK_IMPORTED_MODULE_2__.compareVersions)(r.version, o.target) === 0)) {
            throw new _shared_core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'target' is "${o.target}", which is not an applied version (applied: ${plan.applied.map((r) => r.version).join(', ') || 'none'}); give one of them, or 0 to roll back everything.`, { input: 'target' });
        }
        const steps = (0,_plan_js__WEBPACK_IMPORTED_MODULE_8__.rollbackSteps)(plan, o.files, o.target);
        const missing = steps.filter((s) => !s.file?.down);
        if (missing.length) {
            throw new Error(`Refusing to roll back: no down migration for ${missing.map((s) => `${s.row.version}_${s.row.name}`).join(', ')} ` +
                `(expected ${missing.map((s) => `${s.row.version}_${s.row.name}.down.sql`).join(', ')}). Nothing was changed. Restore the backup taken before the migration instead.`);
        }
        // Every down file is parsed and checked before the first one runs.
        const downs = await Promise.all(steps.map((step) => (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__.prepareFile)(step.file.down, o.serverVersionNum)));
        const refused = downs.flatMap(refusals);
        for (const f of refused)
            _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.error(`${f.message} [${f.rule}]`, { file: f.path, line: f.line, title: `migrate: ${f.rule}` });
        if (refused.length)
            throw new Error(`Refusing to roll back: ${refused.length} problem(s) in down files (${refused.map((f) => `${f.path}:${f.line}`).join(', ')}). Nothing was changed.`);
        for (const [i, step] of steps.entries()) {
            const down = step.file.down;
            const prepared = downs[i];
            _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`Rolling back ${step.row.version}_${step.row.name} with ${down.path}${prepared.nonTransactional ? ` (outside a transaction: ${prepared.nonTransactional})` : ''}…`);
            const ms = await (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__.runFile)(client, prepared, { version: step.row.version, present: false, write: () => (0,_history_js__WEBPACK_IMPORTED_MODULE_9__.removeApplied)(client, step.row.version) }, o.exec);
            outcome.rolledBack.push({ version: step.row.version, name: step.row.name, path: down.path, ms, transactional: !prepared.nonTransactional });
            _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`  rolled back ${step.row.version} in ${Math.round(ms)} ms`);
        }
        const after = await (0,_history_js__WEBPACK_IMPORTED_MODULE_9__.readHistory)(client);
        const replan = (0,_plan_js__WEBPACK_IMPORTED_MODULE_8__.makePlan)(o.files, after);
        outcome.after = replan.current;
        outcome.pending = replan.pending;
        outcome.history = replan.applied;
        return outcome;
    }
    // apply / plan
    if (plan.outOfOrder.length) {
        const msg = `Pending migration(s) ${plan.outOfOrder.map((f) => f.path).join(', ')} have a version below the highest applied one (${plan.current}). ` +
            `Applying them now would run them in a different order than on other databases: give them a version above ${plan.current} (rename the files).`;
        if (o.operation === 'apply')
            throw new Error(`Refusing to apply: ${msg}`);
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.warning(msg, { file: plan.outOfOrder[0].path, line: 1, title: 'migrate: out of order' });
    }
    guard(o.operation === 'apply');
    const parseStarted = performance.now();
    const prepared = new Map();
    for (const f of plan.toApply)
        prepared.set(f.version, await (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__.prepareFile)(f, o.serverVersionNum));
    const context = o.lint === 'off' ? undefined : await (0,_lint_facts_js__WEBPACK_IMPORTED_MODULE_4__.databaseLintContext)(client, o.serverVersionNum);
    Object.assign(outcome, lintFiles(plan.toApply, prepared, o.lint, context));
    for (const a of outcome.accepted)
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`${a.path}:${a.line}: ${a.rule} accepted on purpose: ${a.reason}`);
    _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.debug(`Parsed and linted ${plan.toApply.length} file(s) in ${Math.round(performance.now() - parseStarted)} ms.`);
    const blocking = outcome.findings.filter((f) => o.lint === 'error' || ALWAYS_BLOCKS.has(f.rule));
    for (const f of outcome.findings) {
        const level = blocking.includes(f) ? 'error' : 'warning';
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R[level](`${f.message} [${f.rule}]`, { file: f.path, line: f.line, title: `migrate lint: ${f.rule}` });
    }
    if (blocking.length) {
        // A plan fails where apply would refuse, so a pull request's check catches it before release.
        const refusing = o.operation === 'plan' ? 'apply would refuse' : 'Refusing to apply';
        const where = (rule) => blocking.filter((f) => f.rule === rule).map((f) => `${f.path}:${f.line}`);
        const [syntax, control] = [where('syntax'), where('transaction-control')];
        const lint = blocking.length - syntax.length - control.length;
        const reasons = [
            syntax.length && `${syntax.length} file(s) PostgreSQL cannot parse (${syntax.join(', ')})`,
            control.length && `${control.length} transaction-control statement(s) (${control.join(', ')}): Gantry runs each file in its own transaction, remove them`,
            lint &&
                `lint found ${lint} problem(s) in pending migrations and lint is 'error' (see the annotations): fix them, accept one on purpose with a ` +
                    `'-- gantry-lint: ignore <rule> <reason>' comment above the statement, or set lint: warn`,
        ].filter(Boolean);
        throw new Error(`${refusing}: ${reasons.join('; ')}. Nothing was applied.`);
    }
    if (o.operation === 'plan')
        return outcome;
    if (plan.toApply.length === 0) {
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`Nothing to apply: the database is at ${plan.current || 'no version'}${plan.pending.length ? ` (${plan.pending.length} pending above target ${o.target})` : ''}.`);
        return outcome;
    }
    await (0,_history_js__WEBPACK_IMPORTED_MODULE_9__.ensureHistory)(client);
    try {
        await applyAll(client, o, plan, prepared, outcome);
    }
    finally {
        outcome.pending = plan.pending.filter((f) => !outcome.applied.some((a) => a.version === f.version));
    }
    outcome.pending = plan.pending.filter((f) => !outcome.applied.some((a) => a.version === f.version));
    return outcome;
}
async function applyAll(client, o, plan, prepared, outcome) {
    for (const f of plan.toApply) {
        const p = prepared.get(f.version);
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`Applying ${f.path}${p.nonTransactional ? ` (outside a transaction: ${p.nonTransactional})` : ''}…`);
        const write = (elapsed) => (0,_history_js__WEBPACK_IMPORTED_MODULE_9__.recordApplied)(client, { version: f.version, name: f.name, checksum: f.checksum, transactional: !p.nonTransactional, executionMs: elapsed }, o.meta);
        const ms = await (0,_execute_js__WEBPACK_IMPORTED_MODULE_6__.runFile)(client, p, { version: f.version, present: true, write }, o.exec);
        outcome.applied.push({ version: f.version, name: f.name, path: f.path, ms, transactional: !p.nonTransactional });
        outcome.after = f.version;
        _shared_core_log_js__WEBPACK_IMPORTED_MODULE_1__/* .log */ .R.info(`  applied ${f.version} in ${Math.round(ms)} ms`);
    }
}


/***/ })

};
