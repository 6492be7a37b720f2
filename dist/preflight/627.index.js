export const id = 627;
export const ids = [627];
export const modules = {

/***/ 57627:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runSmokeChecks: () => (/* reexport */ runSmokeChecks)
});

// UNUSED EXPORTS: SMOKE_DEFAULTS, checkUrl, defaultCheck, describeNetworkError, formatMs, headline, healthLevel, inspectCertificate, matchJson, parseChecks, parseHeaderLines, parseJsonPath, parseStatus, parseTextMatcher, percentile, readHealth, renderSmokeSummary, reportJson, requestLabel, securityHeaderFindings, statusMatches, textMatches, valueAt

// EXTERNAL MODULE: ./shared/core/duration.ts
var duration = __webpack_require__(10258);
// EXTERNAL MODULE: ./shared/core/yaml.ts
var core_yaml = __webpack_require__(81409);
// EXTERNAL MODULE: ./shared/core/secrets.ts
var secrets = __webpack_require__(40541);
;// CONCATENATED MODULE: ./shared/smoke/checks.ts
/**
 * The smoke-check language, shared by smoke-test, deploy-blue-green (`verify-checks`),
 * canary-shift (`probe-checks`) and preflight: a YAML list of checks, validated once.
 *
 *   - /                                   # shorthand: GET /, expect 2xx
 *   - name: health
 *     path: /api/health
 *     health: true
 *   - name: login page
 *     path: /login
 *     expect-status: [200, 304]
 *     expect-body: /<form[^>]+login/i
 *     max-latency: 800ms
 *   - name: create order
 *     url: https://api.example.com/orders
 *     method: POST
 *     body: { sku: "A1", qty: 1 }
 *     expect-status: 201
 *     expect-json: { "$.status": created, "items[0].sku": A1 }
 */




const DEFAULT_STATUS = { text: '2xx', ranges: [[200, 299]] };
/** Parses one status expectation; returns an error message when malformed. */
function parseStatus(value) {
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0)
        return 'give at least one status, e.g. 200, 2xx or 200-299';
    const ranges = [];
    for (const item of items) {
        const s = String(item).trim().toLowerCase();
        let m;
        if ((m = /^([1-5])xx$/.exec(s)))
            ranges.push([Number(m[1]) * 100, Number(m[1]) * 100 + 99]);
        else if ((m = /^(\d{3})\s*-\s*(\d{3})$/.exec(s)) && Number(m[1]) <= Number(m[2]))
            ranges.push([Number(m[1]), Number(m[2])]);
        else if (/^\d{3}$/.test(s) && Number(s) >= 100 && Number(s) <= 599)
            ranges.push([Number(s), Number(s)]);
        else
            return `${JSON.stringify(item)} is not a status: use a code (200), a class (2xx), a range (200-299) or a list of those`;
    }
    return { text: items.map((i) => String(i).trim()).join(', '), ranges };
}
function statusMatches(matcher, status) {
    return matcher.ranges.some(([lo, hi]) => status >= lo && status <= hi);
}
/** `/regex/flags` → a RegExp; anything else is a substring. Returns an error message for a bad regex. */
function parseTextMatcher(text) {
    const m = /^\/(.+)\/([dgimsuyv]*)$/s.exec(text);
    if (!m)
        return { text };
    try {
        return { text, regex: new RegExp(m[1], m[2].replace(/[gy]/g, '')) };
    }
    catch (error) {
        return `${JSON.stringify(text)} is not a valid regular expression: ${error.message}`;
    }
}
function textMatches(matcher, text) {
    return matcher.regex ? matcher.regex.test(text) : text.includes(matcher.text);
}
const METHODS = (/* unused pure expression or super */ null && (['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']));
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names whose values are credentials: masked like secret inputs. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|bypass|password|session|signature/i;
const FIELDS = (/* unused pure expression or super */ null && (['name', 'path', 'url', 'method', 'headers', 'body', 'expect-status', 'expect-body', 'expect-json', 'max-latency', 'timeout', 'health']));
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++)
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
}
// Schemas are built on first use: building them costs a few ms of every cold start.
const checks_duration = (what) => z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(String(v));
    if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a ${what}: use e.g. 500ms, 2s or 1m` });
        return z.NEVER;
    }
    return ms;
});
const buildSchema = () => {
    const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
    const checkObject = z
        .looseObject({
        name: z.string().min(1).optional(),
        path: z.string().min(1).optional(),
        url: z.string().min(1).optional(),
        method: z
            .string()
            .transform((m) => m.toUpperCase())
            .refine((m) => METHODS.includes(m), { message: `use one of ${METHODS.join(', ')}` })
            .optional(),
        headers: z
            .record(z.string().regex(HEADER_NAME, 'is not a valid header name'), scalar)
            .optional(),
        body: z.unknown().optional(),
        'expect-status': z
            .unknown()
            .transform((v, ctx) => {
            const m = parseStatus(v);
            if (typeof m === 'string') {
                ctx.addIssue({ code: 'custom', message: m });
                return z.NEVER;
            }
            return m;
        })
            .optional(),
        'expect-body': z
            .string()
            .min(1)
            .transform((v, ctx) => {
            const m = parseTextMatcher(v);
            if (typeof m === 'string') {
                ctx.addIssue({ code: 'custom', message: m });
                return z.NEVER;
            }
            return m;
        })
            .optional(),
        'expect-json': z.record(z.string().min(1), z.unknown()).optional(),
        'max-latency': checks_duration('latency budget').optional(),
        timeout: checks_duration('timeout').optional(),
        health: z.boolean().optional(),
    })
        .superRefine((c, ctx) => {
        for (const key of Object.keys(c)) {
            if (FIELDS.includes(key))
                continue;
            const near = FIELDS.find((f) => editDistance(f, key.toLowerCase().replace(/_/g, '-')) <= 2);
            ctx.addIssue({ code: 'custom', message: `unknown field "${key}"${near ? ` (did you mean ${near}?)` : ''}; the fields are ${FIELDS.join(', ')}`, path: [key] });
        }
        if (c.path && c.url)
            ctx.addIssue({ code: 'custom', message: 'give either path or url, not both', path: ['url'] });
        if (c.url && !/^https?:\/\//i.test(c.url))
            ctx.addIssue({ code: 'custom', message: 'url must be absolute (http:// or https://); use path for a path', path: ['url'] });
        if (c.path !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(c.path))
            ctx.addIssue({ code: 'custom', message: 'path is a path such as /health; use url for a full URL', path: ['path'] });
        for (const p of Object.keys(c['expect-json'] ?? {})) {
            const parsed = parseJsonPath(p);
            if (typeof parsed === 'string')
                ctx.addIssue({ code: 'custom', message: parsed, path: ['expect-json', p] });
        }
        if (c.body !== undefined && (c.method === 'GET' || c.method === 'HEAD' || c.method === undefined)) {
            ctx.addIssue({ code: 'custom', message: 'a body needs a method that takes one, e.g. method: POST', path: ['body'] });
        }
    });
    // A bare string is a path (or a full URL) to GET; preprocessing keeps zod's messages precise.
    const checkItem = z.preprocess((v) => (typeof v === 'string' && v.trim() ? (/^https?:\/\//i.test(v) ? { url: v } : { path: v }) : v), checkObject);
    return z.preprocess((doc) => (doc && typeof doc === 'object' && !Array.isArray(doc) && 'checks' in doc && Object.keys(doc).length === 1 ? doc.checks : doc), z.array(checkItem, { error: 'give a YAML list of checks (or a map with a checks: list)' }).min(1, 'give at least one check'));
};
let schema;
/** The zod schema of a checks document (a list, or `{checks: [...]}`). */
function checksSchema() {
    return (schema ??= buildSchema());
}
/** The check every run falls back to when none are given: GET / expecting 2xx. */
function defaultCheck() {
    return { name: 'GET /', path: '/', method: 'GET', headers: {}, expectStatus: DEFAULT_STATUS, health: false };
}
function normalise(c, line, file) {
    const method = c.method ?? 'GET';
    const headers = { ...c.headers };
    for (const [k, v] of Object.entries(headers))
        if (SENSITIVE_HEADER.test(k))
            registerSecret(v);
    let body;
    if (c.body !== undefined) {
        if (typeof c.body === 'string')
            body = c.body;
        else {
            body = JSON.stringify(c.body);
            if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
                headers['content-type'] = 'application/json';
        }
    }
    const target = c.path ?? c.url ?? '/';
    const full = c;
    return {
        name: full.name ?? `${method} ${target}`,
        path: c.url ? undefined : c.path?.startsWith('/') ? c.path : `/${c.path ?? ''}`,
        url: c.url,
        method,
        headers,
        body,
        expectStatus: full['expect-status'] ?? DEFAULT_STATUS,
        expectBody: full['expect-body'],
        expectJson: full['expect-json'],
        maxLatencyMs: full['max-latency'],
        timeoutMs: full.timeout,
        health: full.health ?? false,
        file,
        line,
    };
}
/**
 * Parses checks from YAML text. Throws YamlProblem (an InvalidValue with `.line`) naming the
 * check and field at fault. `file` is recorded on each check for annotations.
 * The text is parsed once (YAML is the slow part: ~0.1 ms per line) and lines come from the
 * parsed nodes, so a mistake deep in a check is located exactly.
 */
function parseChecks(text, file) {
    const { LineCounter, parseDocument, isSeq, isMap } = yaml();
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const lineAt = (node) => {
        const offset = node?.range?.[0];
        return offset === undefined ? undefined : lines.linePos(offset).line;
    };
    if (doc.errors.length)
        throw syntaxProblem(doc.errors, lines);
    let root = doc.contents;
    let prefix = [];
    if (isMap(root) && root.has('checks') && root.items.length === 1) {
        root = root.get('checks', true);
        prefix = ['checks'];
    }
    const result = checksSchema().safeParse(doc.toJS());
    if (!result.success) {
        const issue = result.error.issues[0];
        const at = showPath(issue.path);
        throw new YamlProblem(`${at ? `at ${at} ` : ''}is invalid: ${issue.message}`, lineOfPath(doc, lines, [...prefix, ...issue.path]));
    }
    const items = isSeq(root) ? root.items : [];
    return result.data.map((raw, i) => normalise(raw, lineAt(items[i]), file));
}

/**
 * `$.a.b[0].c`, `a.b[0]`, `items.length`, `$['odd key']` → segments. Returns an error message
 * when malformed.
 */
function parseJsonPath(path) {
    let s = path.trim();
    if (s.startsWith('$'))
        s = s.slice(1);
    const segments = [];
    let i = 0;
    if (s && !s.startsWith('.') && !s.startsWith('['))
        s = `.${s}`;
    while (i < s.length) {
        if (s[i] === '.') {
            const m = /^\.([^.[\]]+)/.exec(s.slice(i));
            if (!m)
                return `${JSON.stringify(path)} is not a JSON path: a name must follow "."`;
            segments.push(m[1]);
            i += m[0].length;
        }
        else if (s[i] === '[') {
            const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(s.slice(i));
            if (!m)
                return `${JSON.stringify(path)} is not a JSON path: use [0] or ['name'] in brackets`;
            segments.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3]));
            i += m[0].length;
        }
        else
            return `${JSON.stringify(path)} is not a JSON path: use e.g. $.data.items[0].id`;
    }
    return segments;
}
const MISSING = Symbol('missing');
/** The value at a path, or MISSING. `length` of arrays and strings works as a name. */
function valueAt(doc, segments) {
    let v = doc;
    for (const seg of segments) {
        if (v === null || v === undefined)
            return MISSING;
        if (typeof seg === 'number') {
            if (!Array.isArray(v) || seg >= v.length)
                return MISSING;
            v = v[seg];
        }
        else if (seg === 'length' && (Array.isArray(v) || typeof v === 'string')) {
            v = v.length;
        }
        else if (typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, seg)) {
            v = v[seg];
        }
        else if (Array.isArray(v) && /^\d+$/.test(seg)) {
            v = v[Number(seg)];
            if (v === undefined)
                return MISSING;
        }
        else
            return MISSING;
    }
    return v;
}
function isMissing(v) {
    return v === MISSING;
}
function deepEqual(a, b) {
    if (a === b)
        return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
        return false;
    if (Array.isArray(a) !== Array.isArray(b))
        return false;
    if (Array.isArray(a))
        return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}
/**
 * Compares a JSON document against `expect-json`; returns the problems (empty when all match).
 * An expected `/regex/` string matches string (and number) values; other values compare deeply,
 * with numbers and numeric strings equal (`"42"` matches 42) since YAML authors rarely care.
 */
function matchJson(doc, expected) {
    const problems = [];
    for (const [path, want] of Object.entries(expected)) {
        const segments = parseJsonPath(path);
        const got = valueAt(doc, segments);
        if (isMissing(got)) {
            problems.push(`JSON ${path} is missing`);
            continue;
        }
        if (typeof want === 'string') {
            const m = parseTextMatcher(want);
            if (typeof m !== 'string' && m.regex && (typeof got === 'string' || typeof got === 'number')) {
                if (!m.regex.test(String(got)))
                    problems.push(`JSON ${path} is ${preview(got)}, which does not match ${want}`);
                continue;
            }
        }
        const loose = (typeof want === 'number' && typeof got === 'string' && got === String(want)) || (typeof want === 'string' && typeof got === 'number' && want === String(got));
        if (!loose && !deepEqual(got, want))
            problems.push(`JSON ${path} is ${preview(got)}, expected ${preview(want)}`);
    }
    return problems;
}
function preview(v, max = 80) {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// EXTERNAL MODULE: ./shared/smoke/tls.ts
var tls = __webpack_require__(63685);
// EXTERNAL MODULE: ./shared/core/net.ts
var net = __webpack_require__(89563);
// EXTERNAL MODULE: ./shared/core/errors.ts
var errors = __webpack_require__(46677);
;// CONCATENATED MODULE: ./shared/smoke/health.ts
function healthLevel(status) {
    if (typeof status === 'boolean')
        return status ? 'pass' : 'fail';
    if (typeof status !== 'string')
        return undefined;
    const s = status.trim().toLowerCase().replace(/[\s-]+/g, '_');
    if (['pass', 'ok', 'up', 'healthy', 'green', 'available', 'ready', 'serving'].includes(s))
        return 'pass';
    if (['warn', 'warning', 'degraded', 'yellow', 'partial'].includes(s))
        return 'warn';
    if (['fail', 'error', 'down', 'unhealthy', 'red', 'out_of_service', 'unavailable', 'not_serving', 'critical'].includes(s))
        return 'fail';
    return undefined;
}
const worst = (a, b) => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');
function describe(name, entry) {
    const detail = entry.output ?? entry.description ?? entry.error ?? entry.message ?? entry.exception;
    const text = typeof detail === 'string' ? detail : detail && typeof detail === 'object' ? JSON.stringify(detail) : undefined;
    return text ? `${name} (${text.length > 120 ? `${text.slice(0, 119)}…` : text})` : name;
}
/** Components from `checks` / `components` / `entries` / `details` maps. */
function components(doc) {
    const out = [];
    for (const key of ['checks', 'components', 'entries', 'details', 'services', 'dependencies']) {
        const map = doc[key];
        if (!map || typeof map !== 'object')
            continue;
        const entries = Array.isArray(map)
            ? map.map((e, i) => [String(e?.name ?? e?.componentId ?? i), e])
            : Object.entries(map);
        for (const [name, value] of entries) {
            // health+json: each key holds an array of measurements (one per component instance).
            const items = Array.isArray(value) ? value : [value];
            for (const item of items) {
                if (!item || typeof item !== 'object') {
                    const level = healthLevel(item);
                    if (level)
                        out.push({ name, level, label: name });
                    continue;
                }
                const entry = item;
                const level = healthLevel(entry.status ?? entry.state ?? entry.healthy);
                if (!level)
                    continue;
                const id = typeof entry.componentId === 'string' && items.length > 1 ? `${name}[${entry.componentId}]` : name;
                out.push({ name: id, level, label: describe(id, entry) });
            }
        }
    }
    return out;
}
function readHealth(body) {
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch {
        const plain = healthLevel(body.trim().slice(0, 40));
        if (plain)
            return { status: plain, said: body.trim(), failing: [], warning: [] };
        return { status: 'fail', failing: [], warning: [], problem: `the health answer is not JSON (starts with ${JSON.stringify(body.slice(0, 60))})` };
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        return { status: 'fail', failing: [], warning: [], problem: 'the health answer is not a JSON object with a status' };
    }
    const d = doc;
    const said = d.status ?? d.state ?? d.health ?? d.healthy;
    const top = healthLevel(said);
    const parts = components(d);
    const failing = parts.filter((p) => p.level === 'fail').map((p) => p.label);
    const warning = parts.filter((p) => p.level === 'warn').map((p) => p.label);
    if (!top && parts.length === 0) {
        return { status: 'fail', failing, warning, problem: `the health answer has no status this check understands (got ${JSON.stringify(said ?? null)})` };
    }
    // The top-level status is authoritative; a failing component under a passing service is
    // reported as a warning (it may be a non-critical dependency).
    let status = top ?? parts.reduce((acc, p) => worst(acc, p.level), 'pass');
    if (status === 'pass' && (failing.length || warning.length))
        status = 'warn';
    return { status, said: typeof said === 'string' ? said : said === undefined ? undefined : String(said), failing, warning };
}

;// CONCATENATED MODULE: ./shared/smoke/engine.ts
/**
 * Runs smoke checks against a deployment and returns a structured report. Knows nothing about
 * the GitHub runner: smoke-test, deploy-blue-green, canary-shift and preflight all call it.
 *
 * Retrying: an answer that means "not ready yet" — connection refused or reset, a timeout, 404,
 * 408, 425, 429 or 5xx — is retried until the `deadline`, waiting `retryDelayMs` and then 1.5×
 * longer each time (up to 10 s, or longer when the server's Retry-After says so). Any other
 * wrong answer (a 401, a body or JSON that does not match, a latency over budget, an unhealthy
 * health document) is tried at most `attempts` times. Certificate errors are not retried.
 * No attempt starts after the deadline; one in flight ends within its timeout.
 */





const SMOKE_DEFAULTS = {
    timeoutMs: 10_000,
    attempts: 3,
    retryDelayMs: 2_000,
    deadlineMs: 120_000,
    concurrency: 8,
    tlsMinDays: 14,
    securityHeaders: 'warn',
    failOnWarning: false,
};
const MAX_DELAY_MS = 10_000;
const MAX_BODY = 2 * 1024 * 1024;
const MAX_REDIRECTS = 10;
/** Resolves a check's URL against the base. Throws when a path has no base to join. */
function checkUrl(check, baseUrl) {
    if (check.url)
        return new URL(check.url);
    if (!baseUrl)
        throw new Error(`check '${check.name}' has a path but there is no base url`);
    const base = new URL(baseUrl);
    const [pathPart, ...rest] = (check.path ?? '/').split('?');
    const prefix = base.pathname.replace(/\/+$/, '');
    const url = new URL(base.origin);
    url.username = base.username;
    url.password = base.password;
    url.pathname = `${prefix}${pathPart.startsWith('/') ? '' : '/'}${pathPart}`;
    url.search = rest.length ? `?${rest.join('?')}` : base.search;
    return url;
}
/** Nearest-rank percentile. */
function percentile(values, p) {
    if (values.length === 0)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const NOT_READY_STATUS = (s) => s === 404 || s === 408 || s === 425 || s === 429 || s >= 500;
/** A network failure in words, and whether it is worth retrying. */
function describeNetworkError(error, timeoutMs) {
    const code = (0,net/* errorCode */.CA)(error);
    const name = error?.name;
    if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        return { message: `no answer within ${engine_formatMs(timeoutMs)}`, retry: 'not-ready' };
    }
    switch (code) {
        case 'ECONNREFUSED':
            return { message: 'connection refused', retry: 'not-ready' };
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
        case 'EPIPE':
        case 'UND_ERR_CLOSED':
            return { message: 'connection reset before an answer', retry: 'not-ready' };
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return { message: 'host not found (DNS)', retry: 'not-ready' };
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
        case 'ETIMEDOUT':
            return { message: `host unreachable (${code})`, retry: 'not-ready' };
        case 'CERT_HAS_EXPIRED':
            return { message: 'the TLS certificate has expired', retry: 'never' };
        case 'CERT_NOT_YET_VALID':
            return { message: 'the TLS certificate is not valid yet', retry: 'never' };
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return { message: 'the TLS certificate does not cover this host name', retry: 'never' };
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        case 'UNABLE_TO_GET_ISSUER_CERT':
            return { message: `the TLS certificate is not trusted (${code}); for a private CA set NODE_EXTRA_CA_CERTS`, retry: 'never' };
    }
    const deepest = (() => {
        let e = error;
        while (e?.cause)
            e = e.cause;
        return e instanceof Error ? e.message : String(e);
    })();
    return { message: `request failed: ${deepest}${code ? ` (${code})` : ''}`, retry: 'not-ready' };
}
function engine_formatMs(ms) {
    return (0,duration/* formatDuration */.a)(ms);
}
/** Missing or weak security headers of one answer. */
function securityHeaderFindings(headers, https, html) {
    const found = [];
    if (https) {
        const hsts = headers.get('strict-transport-security');
        const maxAge = hsts ? /max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] : undefined;
        if (!hsts)
            found.push('no Strict-Transport-Security');
        else if (maxAge === undefined || Number(maxAge) === 0)
            found.push('Strict-Transport-Security has no max-age');
        else if (Number(maxAge) < 15_552_000)
            found.push(`Strict-Transport-Security max-age ${maxAge}s is under 180 days`);
    }
    const xcto = headers.get('x-content-type-options');
    if (!xcto)
        found.push('no X-Content-Type-Options');
    else if (xcto.trim().toLowerCase() !== 'nosniff')
        found.push(`X-Content-Type-Options is "${xcto}", not nosniff`);
    if (html) {
        const csp = headers.get('content-security-policy');
        if (!csp)
            found.push('no Content-Security-Policy');
        const xfo = headers.get('x-frame-options');
        const frameAncestors = csp ? /(^|;)\s*frame-ancestors\s/i.test(csp) : false;
        if (!xfo && !frameAncestors)
            found.push('no X-Frame-Options (nor CSP frame-ancestors)');
        else if (xfo && !/^(deny|sameorigin)$/i.test(xfo.trim()))
            found.push(`X-Frame-Options is "${xfo}", not DENY or SAMEORIGIN`);
    }
    return found;
}
function splitCredentials(url) {
    if (!url.username && !url.password)
        return { url };
    const clean = new URL(url);
    const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    clean.username = '';
    clean.password = '';
    return { url: clean, authorization: auth };
}
async function attempt(check, target, ctx) {
    const { options } = ctx;
    const timeoutMs = check.timeoutMs ?? options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    const started = performance.now();
    let url = target;
    let method = check.method;
    let body = check.body;
    let response;
    let text;
    let redirects = 0;
    let sendGlobalHeaders = ctx.headersOrigin === undefined || target.origin === ctx.headersOrigin;
    try {
        for (;;) {
            const { url: clean, authorization } = splitCredentials(url);
            const headers = new Headers();
            if (sendGlobalHeaders)
                for (const [k, v] of Object.entries(options.headers ?? {}))
                    headers.set(k, v);
            if (authorization)
                headers.set('authorization', authorization);
            for (const [k, v] of Object.entries(check.headers))
                headers.set(k, v);
            if (!headers.has('user-agent'))
                headers.set('user-agent', 'gantry-smoke-test/1');
            response = await fetch(clean, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual', signal });
            const location = response.headers.get('location');
            if (response.status >= 300 && response.status < 400 && location && redirects < MAX_REDIRECTS) {
                await response.body?.cancel().catch(() => { });
                const next = new URL(location, clean);
                // Secret headers never follow a redirect to another host.
                const upgrade = clean.protocol === 'http:' && next.protocol === 'https:' && next.hostname === clean.hostname;
                if (next.origin !== clean.origin && !upgrade)
                    sendGlobalHeaders = false;
                if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
                    method = 'GET';
                    body = undefined;
                }
                url = next;
                redirects++;
                continue;
            }
            text = await readBody(response);
            break;
        }
    }
    catch (error) {
        if (ctx.signal?.aborted)
            throw new errors/* CancelledError */.cc();
        const { message, retry } = describeNetworkError(timeout.aborted ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : error, timeoutMs);
        return { problems: [message], warnings: [], retry };
    }
    const latencyMs = Math.round(performance.now() - started);
    const status = response.status;
    const problems = [];
    const warnings = [];
    let retry = 'again';
    const finalUrl = redirects ? splitCredentials(url).url.toString() : undefined;
    const outcome = { httpStatus: status, latencyMs, problems, warnings, retry, finalUrl };
    if (!statusMatches(check.expectStatus, status)) {
        // A health document explains itself below; for anything else the start of the body helps.
        const explained = check.health && !readHealth(text).problem;
        problems.push(`HTTP ${status}, expected ${check.expectStatus.text}${explained ? '' : snippet(text)}`);
        if ((options.notReady ?? NOT_READY_STATUS)(status))
            retry = 'not-ready';
        outcome.retryAfterMs = (0,net/* parseRetryAfter */.mu)(response.headers.get('retry-after'));
    }
    if (check.expectBody && !textMatches(check.expectBody, text)) {
        problems.push(`body does not ${check.expectBody.regex ? 'match' : 'contain'} ${JSON.stringify(check.expectBody.text)}${snippet(text)}`);
    }
    if (check.expectJson) {
        let doc;
        try {
            doc = JSON.parse(text);
        }
        catch {
            doc = undefined;
            problems.push(`body is not JSON${snippet(text)}`);
        }
        if (doc !== undefined)
            problems.push(...matchJson(doc, check.expectJson));
    }
    if (check.health) {
        const reading = readHealth(text);
        outcome.health = reading;
        if (reading.problem)
            problems.push(reading.problem);
        else if (reading.status === 'fail') {
            problems.push(`unhealthy${reading.said ? ` (status "${reading.said}")` : ''}${reading.failing.length ? `: failing ${reading.failing.join(', ')}` : ''}`);
        }
        else if (reading.status === 'warn') {
            const parts = [...reading.failing.map((f) => `${f} failing`), ...reading.warning];
            warnings.push(`degraded${reading.said ? ` (status "${reading.said}")` : ''}${parts.length ? `: ${parts.join(', ')}` : ''}`);
        }
    }
    if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
        problems.push(`took ${engine_formatMs(latencyMs)}, over the ${engine_formatMs(check.maxLatencyMs)} budget`);
    }
    if (options.securityHeaders !== 'off' && !check.health && status >= 200 && status < 300 && check.method !== 'HEAD' && check.method !== 'OPTIONS') {
        const html = /text\/html|application\/xhtml/i.test(response.headers.get('content-type') ?? '');
        const findings = securityHeaderFindings(response.headers, url.protocol === 'https:', html);
        if (findings.length) {
            outcome.securityHeaders = findings;
            if (options.securityHeaders === 'error') {
                problems.push(`security headers: ${findings.join(', ')}`);
                // Retrying will not add a header; say so once rather than three times.
                if (problems.length === 1)
                    retry = 'never';
            }
            else
                warnings.push(`security headers: ${findings.join(', ')}`);
        }
    }
    outcome.retry = retry;
    return outcome;
}
async function readBody(response) {
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size <= MAX_BODY)
            chunks.push(value);
        else {
            await reader.cancel().catch(() => { });
            break;
        }
    }
    return Buffer.concat(chunks).toString('utf8');
}
function snippet(text) {
    const t = text.replace(/\s+/g, ' ').trim();
    if (!t)
        return '';
    return ` — body: ${t.length > 100 ? `${t.slice(0, 99)}…` : t}`;
}
async function runCheck(check, ctx, onRetry) {
    const { options } = ctx;
    let target;
    target = checkUrl(check, options.baseUrl);
    const shownUrl = splitCredentials(target).url.toString();
    const base = { name: check.name, method: check.method, url: shownUrl, file: check.file, line: check.line };
    let attempts = 0;
    let wrongAnswers = 0;
    let delay = options.retryDelayMs;
    let last;
    for (;;) {
        if (ctx.signal?.aborted)
            return { ...base, status: 'cancelled', attempts, problems: ['cancelled'], warnings: [], httpStatus: last?.httpStatus };
        attempts++;
        let outcome;
        try {
            outcome = await attempt(check, target, ctx);
        }
        catch (error) {
            if (error instanceof errors/* CancelledError */.cc || ctx.signal?.aborted) {
                return { ...base, status: 'cancelled', attempts, problems: ['cancelled'], warnings: [], httpStatus: last?.httpStatus };
            }
            throw error;
        }
        last = outcome;
        const result = (status, extra = []) => ({
            ...base,
            status,
            httpStatus: outcome.httpStatus,
            latencyMs: outcome.latencyMs,
            attempts,
            problems: [...outcome.problems, ...extra],
            warnings: outcome.warnings,
            health: outcome.health,
            securityHeaders: outcome.securityHeaders,
            finalUrl: outcome.finalUrl,
        });
        if (outcome.problems.length === 0)
            return result(outcome.warnings.length ? 'warn' : 'pass');
        if (outcome.retry === 'again')
            wrongAnswers++;
        const left = ctx.deadline - Date.now();
        if (outcome.retry === 'never')
            return result('fail');
        if (outcome.retry === 'again' && wrongAnswers >= options.attempts)
            return result('fail');
        if (left <= 0) {
            return result('fail', outcome.retry === 'not-ready' ? [`still not ready at the deadline (${engine_formatMs(options.deadlineMs)})`] : []);
        }
        const jittered = Math.round(delay * (0.9 + Math.random() * 0.2));
        const wait = Math.min(Math.max(jittered, outcome.retryAfterMs ?? 0), left);
        onRetry?.({ check, attempt: attempts, delayMs: wait, reason: outcome.problems[0] });
        try {
            await (0,net/* sleep */.yy)(wait, ctx.signal);
        }
        catch {
            return { ...result('cancelled'), problems: [...outcome.problems, 'cancelled while waiting to retry'] };
        }
        delay = Math.min(Math.round(delay * 1.5), Math.max(MAX_DELAY_MS, options.retryDelayMs));
    }
}
/** Runs the checks (at most `concurrency` at a time) and reports. Throws nothing for failing checks. */
async function runSmokeChecks(checks, smokeOptions = {}) {
    const started = Date.now();
    const options = { ...SMOKE_DEFAULTS, ...stripUndefined(smokeOptions) };
    for (const check of checks)
        checkUrl(check, options.baseUrl); // fail fast on a path without a base
    const ctx = {
        options,
        deadline: started + options.deadlineMs,
        signal: options.signal,
        headersOrigin: options.baseUrl ? new URL(options.baseUrl).origin : undefined,
    };
    const results = new Array(checks.length);
    let next = 0;
    const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, checks.length)) }, async () => {
        while (next < checks.length) {
            const i = next++;
            results[i] = await runCheck(checks[i], ctx, options.onRetry);
            options.onResult?.(results[i]);
        }
    });
    await Promise.all(workers);
    const cancelled = Boolean(options.signal?.aborted) || results.some((r) => r.status === 'cancelled');
    const tls = [];
    if (!cancelled && options.tlsMinDays > 0) {
        const origins = [...new Set(results.filter((r) => r.httpStatus !== undefined && r.url.startsWith('https:')).map((r) => new URL(r.url).origin))];
        // node:tls costs ~8 ms to load: only when there is an https origin to inspect.
        const { inspectCertificate } = origins.length ? await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 63685)) : { inspectCertificate: undefined };
        const infos = await Promise.all(origins.map((origin) => inspectCertificate(origin, { timeoutMs: options.timeoutMs, signal: options.signal })));
        for (const info of infos) {
            if (info.error)
                tls.push({ ...info, status: 'warn', problem: `could not read the certificate: ${info.error}` });
            else if (info.untrusted)
                tls.push({ ...info, status: 'fail', problem: `not trusted: ${info.untrusted}` });
            else if (info.daysLeft !== undefined && info.daysLeft < options.tlsMinDays) {
                tls.push({ ...info, status: 'warn', problem: `expires in ${info.daysLeft} day${info.daysLeft === 1 ? '' : 's'} (${info.validTo.slice(0, 10)}), under the ${options.tlsMinDays}-day minimum` });
            }
            else
                tls.push({ ...info, status: 'pass' });
        }
    }
    const latencies = results.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs);
    const failedCount = results.filter((r) => r.status === 'fail' || r.status === 'cancelled').length;
    const warningCount = results.filter((r) => r.status === 'warn').length + tls.filter((t) => t.status === 'warn').length;
    const tlsFailed = tls.some((t) => t.status === 'fail');
    return {
        passed: !cancelled && failedCount === 0 && !tlsFailed && !(options.failOnWarning && warningCount > 0),
        cancelled,
        total: results.length,
        passedCount: results.filter((r) => r.status === 'pass' || r.status === 'warn').length,
        warningCount,
        failedCount,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        maxMs: latencies.length ? Math.max(...latencies) : undefined,
        durationMs: Date.now() - started,
        baseUrl: options.baseUrl ? splitCredentials(new URL(options.baseUrl)).url.toString() : undefined,
        checks: results,
        tls,
        options: {
            timeoutMs: options.timeoutMs,
            attempts: options.attempts,
            retryDelayMs: options.retryDelayMs,
            deadlineMs: options.deadlineMs,
            concurrency: options.concurrency,
            tlsMinDays: options.tlsMinDays,
            securityHeaders: options.securityHeaders,
            failOnWarning: options.failOnWarning,
        },
    };
}
function stripUndefined(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

// EXTERNAL MODULE: ./shared/core/summary.ts
var summary = __webpack_require__(86320);
;// CONCATENATED MODULE: ./shared/smoke/report.ts
/** Turns a SmokeReport into what a person reads: a job summary section, and a compact JSON. */


const MAX_ROWS = 100;
const MAX_BARS = 25;
const statusMark = (s) => (s === 'pass' ? mark.pass : s === 'warn' ? mark.warn : s === 'cancelled' ? mark.skip : mark.fail);
/** `GET /health` when the check is on the base URL's origin, else the full URL. */
function requestLabel(result, baseUrl) {
    let target = result.url;
    if (baseUrl) {
        const base = new URL(baseUrl);
        const url = new URL(result.url);
        if (url.origin === base.origin)
            target = `${url.pathname}${url.search}`;
    }
    return `${result.method} ${target}`;
}
/** A check as a person reads it: `home — GET /`, or just `GET /` when that is all its name says. */
function checkTitle(result, baseUrl) {
    const request = requestLabel(result, baseUrl);
    return result.name === request ? request : `${result.name} — ${request}`;
}
function headline(report) {
    if (report.cancelled)
        return `${mark.skip} Smoke test cancelled`;
    if (report.passed)
        return `${report.warningCount ? mark.warn : mark.pass} Smoke test passed${report.warningCount ? ` with ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}` : ''}`;
    if (report.failedCount === 0)
        return `${mark.fail} Smoke test failed: warnings count as failures (fail-on-warning)`;
    return `${mark.fail} Smoke test failed: ${report.failedCount} of ${report.total} check${report.total === 1 ? '' : 's'} failed`;
}
function renderSmokeSummary(report, summary = new Summary(), title) {
    summary.heading(title ? `${title}: ${headline(report).replace(/^(\S+) Smoke test /, '$1 ')}` : headline(report));
    const counts = [
        `**${report.passedCount}** of ${report.total} passed`,
        report.warningCount ? `**${report.warningCount}** warning${report.warningCount === 1 ? '' : 's'}` : undefined,
        report.failedCount ? `**${report.failedCount}** failed` : undefined,
        report.p95Ms !== undefined ? `p95 **${formatMs(report.p95Ms)}**` : undefined,
        `took ${formatMs(report.durationMs)}`,
    ].filter(Boolean);
    summary.text(`${report.baseUrl ? `Against \`${report.baseUrl}\` · ` : ''}${counts.join(' · ')}`);
    // Failures and warnings first: that is what a person opens the summary for.
    const order = { fail: 0, cancelled: 1, warn: 2, pass: 3 };
    const sorted = report.checks.map((c, i) => ({ c, i })).sort((a, b) => order[a.c.status] - order[b.c.status] || a.i - b.i).map((x) => x.c);
    const shown = sorted.slice(0, MAX_ROWS);
    summary.table(['', 'Check', 'Request', 'HTTP', 'Latency', 'Attempts', 'Problems'], shown.map((c) => [
        statusMark(c.status),
        c.name,
        `\`${requestLabel(c, report.baseUrl)}\``,
        c.httpStatus ?? '—',
        c.latencyMs !== undefined ? formatMs(c.latencyMs) : '—',
        c.attempts,
        [...c.problems, ...c.warnings].join('\n') || '',
    ]), ['center', 'left', 'left', 'right', 'right', 'right', 'left']);
    if (sorted.length > shown.length)
        summary.text(`…and ${sorted.length - shown.length} more passing checks (all are in the \`report\` output).`);
    if (report.tls.length) {
        summary.heading('TLS certificates', 3);
        summary.table(['', 'Origin', 'Expires', 'Days left', 'Issuer', 'Note'], report.tls.map((t) => [
            t.status === 'pass' ? mark.pass : t.status === 'warn' ? mark.warn : mark.fail,
            t.origin,
            t.validTo?.slice(0, 10) ?? '—',
            t.daysLeft ?? '—',
            t.issuer ?? '—',
            t.problem ?? '',
        ]), ['center', 'left', 'left', 'right', 'left', 'left']);
    }
    const timed = report.checks.filter((c) => c.latencyMs !== undefined);
    if (timed.length >= 2) {
        const bars = timed.length > MAX_BARS ? [...timed].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, MAX_BARS) : timed;
        summary.barChart(timed.length > MAX_BARS ? `Slowest ${MAX_BARS} checks (ms)` : 'Latency per check (ms)', bars.map((c) => c.name), bars.map((c) => c.latencyMs), 'ms');
    }
    const o = report.options;
    summary.details('Settings', `timeout ${formatMs(o.timeoutMs)} · attempts ${o.attempts} · retry-delay ${formatMs(o.retryDelayMs)} (×1.5) · deadline ${formatMs(o.deadlineMs)} · concurrency ${o.concurrency} · tls-min-days ${o.tlsMinDays} · security-headers ${o.securityHeaders} · fail-on-warning ${o.failOnWarning}`);
    return summary;
}
/** The report as the `report` output: stable, compact JSON (no undefined fields). */
function reportJson(report) {
    return JSON.stringify({
        passed: report.passed,
        cancelled: report.cancelled,
        total: report.total,
        passed_count: report.passedCount,
        warning_count: report.warningCount,
        failed_count: report.failedCount,
        p50_ms: report.p50Ms,
        p95_ms: report.p95Ms,
        max_ms: report.maxMs,
        duration_ms: report.durationMs,
        base_url: report.baseUrl,
        checks: report.checks.map((c) => ({
            name: c.name,
            method: c.method,
            url: c.url,
            status: c.status,
            http_status: c.httpStatus,
            latency_ms: c.latencyMs,
            attempts: c.attempts,
            problems: c.problems,
            warnings: c.warnings,
            health: c.health ? { status: c.health.status, said: c.health.said, failing: c.health.failing, warning: c.health.warning } : undefined,
            security_headers: c.securityHeaders,
            final_url: c.finalUrl,
        })),
        tls: report.tls.map((t) => ({ origin: t.origin, status: t.status, valid_to: t.validTo, days_left: t.daysLeft, issuer: t.issuer, problem: t.problem })),
    });
}

// EXTERNAL MODULE: ./shared/core/inputs.ts
var inputs = __webpack_require__(74451);
;// CONCATENATED MODULE: ./shared/smoke/headers.ts
/** The `headers` input: `Name: value` per line (or a JSON object). Values are secrets: never echoed. */


const headers_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Parses and registers every value as a secret. Throws InvalidValue without showing any value. */
function parseHeaderLines(raw) {
    const headers = {};
    if (raw.trim() === '')
        return headers;
    if (raw.trim().startsWith('{')) {
        let doc;
        try {
            doc = JSON.parse(raw);
        }
        catch {
            throw new InvalidValue('looks like JSON but does not parse (values not shown): use one `Name: value` per line, or a JSON object of strings');
        }
        if (!doc || typeof doc !== 'object' || Array.isArray(doc))
            throw new InvalidValue('must be a JSON object of header names to values');
        for (const [name, value] of Object.entries(doc)) {
            if (typeof value !== 'string' && typeof value !== 'number')
                throw new InvalidValue(`header "${name.slice(0, 60)}" must have a string value`);
            maskValue(String(value));
            add(headers, name, String(value), undefined);
        }
        return headers;
    }
    raw.split(/\r?\n/).forEach((line, i) => {
        const text = line.trim();
        if (!text || text.startsWith('#'))
            return;
        const colon = text.indexOf(':');
        if (colon <= 0)
            throw new InvalidValue(`line ${i + 1} is not \`Name: value\` (content not shown): write one header per line, e.g. x-vercel-protection-bypass: \${{ secrets.VERCEL_BYPASS }}`);
        const value = text.slice(colon + 1).trim();
        maskValue(value);
        add(headers, text.slice(0, colon).trim(), value, i + 1);
    });
    return headers;
}
function add(headers, name, value, line) {
    const where = line ? `line ${line}: ` : '';
    if (!headers_HEADER_NAME.test(name))
        throw new InvalidValue(`${where}"${name.slice(0, 60)}" is not a valid header name: use letters, digits and dashes, e.g. x-vercel-protection-bypass`);
    if (value === '')
        throw new InvalidValue(`${where}header ${name} has an empty value: is the secret set in this repository/environment?`);
    if (/[\r\n\0]/.test(value))
        throw new InvalidValue(`${where}header ${name} has a control character in its value`);
    headers[name.toLowerCase()] = value;
}
/**
 * Masks a header value. Flags such as `x-vercel-set-bypass-cookie: true` are not secrets, and
 * masking `true` or `1` would garble every log line, so those few words are left alone.
 */
function maskValue(value) {
    if (/^(true|false|yes|no|on|off|samesitenone|\d{1,3})$/i.test(value))
        return;
    registerSecret(value);
}

;// CONCATENATED MODULE: ./shared/smoke/index.ts
/**
 * The HTTP smoke-check engine: parse checks (YAML), run them against a base URL, report.
 *
 *   const checks = parseChecks(yamlText);                // throws YamlProblem (.line) on mistakes
 *   const report = await runSmokeChecks(checks, { baseUrl, headers, timeoutMs, attempts,
 *     retryDelayMs, deadlineMs, concurrency, tlsMinDays, securityHeaders, signal });
 *   renderSmokeSummary(report, new Summary()).write();  // or reportJson(report) for an output
 */








/***/ }),

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
