export const id = 911;
export const ids = [911];
export const modules = {

/***/ 80292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZH: () => (/* binding */ awsErrorName),
/* harmony export */   _h: () => (/* binding */ retryableAws),
/* harmony export */   rw: () => (/* binding */ awsClientConfig)
/* harmony export */ });
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(89563);
/* harmony import */ var _core_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(40541);
/**
 * What every AWS client (ECS, ELB, S3) sets up the same way: credentials kept out of logs,
 * bounded requests, and one answer to "is this AWS error worth another try". No SDK client is
 * imported here, so that a bundle pulls in only the clients it uses.
 */


/** Client settings shared by every SDK client: standard retries, a request that hangs is cut off (and retried). */
function awsClientConfig({ region, maxAttempts = 8, requestTimeoutMs = 15_000 }) {
    // Credentials come from the environment (configure-aws-credentials); never let them reach a log.
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(process.env.AWS_SECRET_ACCESS_KEY);
    (0,_core_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .registerSecret */ .cl)(process.env.AWS_SESSION_TOKEN);
    return {
        region,
        maxAttempts,
        retryMode: 'standard',
        requestHandler: { connectionTimeout: 5_000, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
    };
}
/** The AWS error name (ThrottlingException, ServiceNotFoundException, …), or ''. */
const awsErrorName = (error) => error?.name ?? '';
/** AWS's own transient faults (throttling, 5xx, the SDK's retryable marker) on top of the network ones. */
function retryableAws(error) {
    const e = error;
    if (e?.$retryable)
        return true;
    const status = e?.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500))
        return true;
    if (/Throttl|TooManyRequests|RequestLimitExceeded|InternalFailure|ServerException|ServiceUnavailable|TimeoutError/.test(e?.name ?? ''))
        return true;
    return (0,_core_net_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg)(error);
}


/***/ }),

/***/ 63911:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S3Store: () => (/* binding */ S3Store)
});

// UNUSED EXPORTS: S3_ANSWER_MS, s3Client

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(53711);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./shared/core/errors.ts
var errors = __webpack_require__(46677);
// EXTERNAL MODULE: ./shared/core/log.ts
var log = __webpack_require__(77046);
// EXTERNAL MODULE: ./shared/platforms/aws.ts
var aws = __webpack_require__(80292);
// EXTERNAL MODULE: ./shared/core/net.ts
var net = __webpack_require__(89563);
// EXTERNAL MODULE: ./shared/storage/types.ts
var types = __webpack_require__(70653);
;// CONCATENATED MODULE: ./shared/storage/s3-parts.ts
/**
 * A streaming S3 upload in parts, from a fixed pool of part buffers: the part being filled and
 * the parts in flight, each reused once S3 has it. A body that fits in one part is a single
 * PutObject.
 *
 * Why not lib-storage's Upload: it joins every part from the stream's chunks (a fresh 5 MiB
 * buffer per part) and keeps the remainder as a view that holds the whole join alive, so an
 * upload held up to four parts plus the joins' garbage. That took a backup to S3 past its 128 MiB
 * bound, and the joins cost more main-thread time than the encryption.
 *
 * Parts are Buffers, so the SDK can retry each one (its maxAttempts) and checksum it.
 */





/** S3's limit on the parts of one upload. */
const MAX_PARTS = 10_000;
/** The slowest upload a part is given time for. */
const MIN_BYTES_PER_SECOND = 256 * 1024;
/**
 * Uploads `body`; on any failure (the body's, S3's, or a cancel) aborts what is in flight and
 * the multipart upload, so no parts remain, and throws the cause: S3's error when S3 failed, the
 * body's when the body failed.
 */
async function uploadInParts(body, o) {
    const { Bucket, Key, ChecksumAlgorithm } = o.params;
    const controller = new AbortController();
    const cancel = () => {
        controller.abort(o.signal?.reason);
        body.destroy(); // stop reading now, not at the next part
    };
    o.signal?.addEventListener('abort', cancel, { once: true });
    const abortSignal = controller.signal;
    const free = [];
    const inFlight = new Set();
    const parts = [];
    let uploadId;
    let storeFailure;
    let sent = 0;
    let partNumber = 0;
    const createUpload = async () => {
        const params = { ...o.params, Body: undefined };
        // With the SDK's flexible checksums on, S3 needs the algorithm declared up front.
        if ((await o.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED')
            params.ChecksumAlgorithm ??= 'CRC32';
        const out = await o.client.send(new dist_cjs/* CreateMultipartUploadCommand */.nG4(params), { abortSignal });
        if (!out.UploadId)
            throw new Error(`S3 started no multipart upload for ${o.uri} (no UploadId in its answer)`);
        return out.UploadId;
    };
    /** A request carrying `bytes` may take the time to start answering plus its bytes at the slowest rate allowed. */
    const boundFor = (bytes) => o.answerMs + Math.ceil((bytes / MIN_BYTES_PER_SECOND) * 1000);
    const sendPart = (part, length) => {
        const PartNumber = ++partNumber;
        if (PartNumber > MAX_PARTS) {
            throw new Error(`${o.uri} needs more than ${MAX_PARTS} parts of ${o.partSize / types/* MiB */.l} MiB: set s3-part-size-mb higher.`);
        }
        const task = (async () => {
            const UploadId = await (uploadId ??= createUpload());
            const requestTimeout = boundFor(length);
            const out = await o.client
                .send(new dist_cjs/* UploadPartCommand */.iVK({ Bucket, Key, UploadId, PartNumber, ChecksumAlgorithm, Body: part.subarray(0, length) }), { abortSignal, requestTimeout })
                .catch((error) => {
                throw timedOut(error, `part ${PartNumber} of ${o.uri}`, requestTimeout);
            });
            if (!out.ETag)
                throw new Error(`S3 answered part ${PartNumber} of ${o.uri} without an ETag`);
            const { ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumSHA1, ChecksumSHA256, ChecksumCRC64NVME } = out;
            parts.push({ PartNumber, ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumSHA1, ChecksumSHA256, ChecksumCRC64NVME });
            sent += length;
            o.onProgress?.(sent);
        })().then(() => void free.push(part), (error) => {
            // The first real failure is the cause; the aborts it sets off in other parts are not.
            if (!abortSignal.aborted) {
                storeFailure = error;
                controller.abort(error);
                body.destroy(); // stop reading now: nothing more can be stored
            }
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
    };
    /** Waits until fewer than queueSize parts are in flight. */
    const waitForSlot = async () => {
        while (inFlight.size >= o.queueSize)
            await Promise.race(inFlight);
        if (abortSignal.aborted)
            throw abortSignal.reason;
    };
    // A free buffer, else a new one: never more than queueSize in flight plus the one being filled.
    const takeBuffer = () => free.pop() ?? Buffer.allocUnsafe(o.partSize);
    try {
        let part = takeBuffer();
        let filled = 0;
        for await (const chunk of body) {
            const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            for (let offset = 0; offset < bytes.length;) {
                // A full part goes only once more bytes come, so that a body of exactly one part is one PutObject.
                if (filled === o.partSize) {
                    await waitForSlot();
                    sendPart(part, filled);
                    part = takeBuffer();
                    filled = 0;
                }
                const n = Math.min(bytes.length - offset, o.partSize - filled);
                part.set(bytes.subarray(offset, offset + n), filled);
                filled += n;
                offset += n;
            }
        }
        if (abortSignal.aborted)
            throw abortSignal.reason;
        if (!partNumber) {
            // As large as a part (s3-part-size-mb goes to 5 GiB), so bounded as one.
            const requestTimeout = boundFor(filled);
            await o.client.send(new dist_cjs/* PutObjectCommand */.wKZ({ ...o.params, Body: part.subarray(0, filled) }), { abortSignal, requestTimeout }).catch((error) => {
                throw timedOut(error, o.uri, requestTimeout);
            });
            o.onProgress?.(filled);
            return;
        }
        await waitForSlot();
        sendPart(part, filled);
        await Promise.all(inFlight);
        if (abortSignal.aborted)
            throw abortSignal.reason;
        parts.sort((a, b) => a.PartNumber - b.PartNumber);
        await o.client.send(new dist_cjs/* CompleteMultipartUploadCommand */.Gym({ Bucket, Key, UploadId: await uploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
    }
    catch (error) {
        controller.abort(error);
        body.destroy();
        await Promise.allSettled(inFlight); // no part may land after the abort
        await abortUpload(o, await uploadId?.catch(() => undefined));
        throw timedOut(storeFailure ?? error, o.uri, o.answerMs);
    }
    finally {
        o.signal?.removeEventListener('abort', cancel);
    }
}
/** Aborts a multipart upload so that no parts remain (billed, invisible); warns when it cannot. */
async function abortUpload(o, uploadId) {
    if (!uploadId)
        return;
    try {
        await (0,net/* retry */.L5)(() => o.client.send(new dist_cjs/* AbortMultipartUploadCommand */.tfP({ Bucket: o.params.Bucket, Key: o.params.Key, UploadId: uploadId })), { attempts: 3, baseDelayMs: 200 });
    }
    catch (error) {
        log/* log */.R.warning(`Could not abort the multipart upload of ${o.uri} (${(0,errors/* errorMessage */.gJ)(error)}): no object was created, but its parts may remain until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.`);
    }
}
/** The SDK's "exceeded the configured requestTimeout" as a user reads it; any other error as it is. */
function timedOut(error, what, ms) {
    if (error?.name !== 'TimeoutError')
        return error;
    const attempts = error.$metadata?.attempts;
    return new Error(`S3 did not answer for ${what} within ${ms / 1000} s${attempts ? ` (${attempts} attempts)` : ''}: check s3-endpoint and that this runner can reach the store.`, { cause: error });
}

;// CONCATENATED MODULE: ./shared/storage/s3.ts
/**
 * A backup store in any S3-compatible bucket: streaming uploads in parts (s3-parts.ts) that are
 * aborted on any failure, paginated listing, batch deletes.
 */







/**
 * What the parts in flight may hold: 2 × 5 MiB, plus the part being filled. A compressed,
 * encrypted dump comes out at ~10–40 MiB/s, which two parallel part uploads outpace. When a large
 * database needs bigger parts (over ~36 GB), one goes at a time.
 */
const UPLOAD_BUFFER_BYTES = 10 * types/* MiB */.l;
/**
 * How long S3 may take to start answering a request (a download's body streams after that, at
 * the restore's pace). A part upload gets this plus its bytes at 256 KiB/s (s3-parts.ts).
 */
const S3_ANSWER_MS = 60_000;
function s3Client(options) {
    const off = options.checksum === 'off';
    return new dist_cjs/* S3Client */.YxF({
        ...(0,aws/* awsClientConfig */.rw)({
            region: options.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
            maxAttempts: 4,
            requestTimeoutMs: options.requestTimeoutMs ?? S3_ANSWER_MS,
        }),
        endpoint: options.endpoint || undefined,
        forcePathStyle: options.forcePathStyle,
        requestChecksumCalculation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
        responseChecksumValidation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    });
}
class S3Store {
    options;
    root;
    client;
    constructor(options) {
        this.options = options;
        this.root = `s3://${options.bucket}${options.prefix ? `/${options.prefix}` : ''}`;
        this.client = options.client ?? s3Client(options);
    }
    key(key) {
        return this.options.prefix ? `${this.options.prefix}/${key}` : key;
    }
    get partSizeBytes() {
        return this.options.partSizeBytes;
    }
    /**
     * Grows the part size (never shrinks it) so that an object of up to `expectedBytes` fits in
     * S3's 10,000 parts with room to spare. Returns the part size in bytes.
     */
    fitPartSize(expectedBytes) {
        const needed = Math.ceil((expectedBytes * 1.25) / 9_000 / types/* MiB */.l) * types/* MiB */.l;
        if (needed > this.options.partSizeBytes)
            this.options.partSizeBytes = Math.min(needed, 5 * 1024 * types/* MiB */.l);
        return this.options.partSizeBytes;
    }
    /** Parts uploaded in parallel: the one given, or as many as the upload buffer budget allows. */
    get queueSize() {
        return this.options.queueSize ?? Math.max(1, Math.floor(UPLOAD_BUFFER_BYTES / this.options.partSizeBytes));
    }
    uri(key) {
        return `s3://${this.options.bucket}/${this.key(key)}`;
    }
    /** The parameters every object we write carries: encryption at rest, storage class, checksum. */
    objectParams(key, options) {
        const o = this.options;
        const params = { Bucket: o.bucket, Key: this.key(key), ContentType: options.contentType ?? 'application/octet-stream' };
        if (o.sse)
            params.ServerSideEncryption = o.sse;
        if (o.sse === 'aws:kms' && o.kmsKeyId)
            params.SSEKMSKeyId = o.kmsKeyId;
        if (o.storageClass)
            params.StorageClass = o.storageClass;
        if (o.checksum && o.checksum !== 'auto' && o.checksum !== 'off')
            params.ChecksumAlgorithm = o.checksum;
        if (options.metadata)
            params.Metadata = options.metadata;
        return params;
    }
    async put(key, body, options = {}) {
        await uploadInParts(body, {
            client: this.client,
            params: this.objectParams(key, options),
            partSize: this.options.partSizeBytes,
            queueSize: this.queueSize,
            answerMs: this.options.requestTimeoutMs ?? S3_ANSWER_MS,
            signal: options.signal,
            onProgress: options.onProgress,
            uri: this.uri(key),
        });
    }
    async putSmall(key, body, options = {}) {
        await this.client.send(new dist_cjs/* PutObjectCommand */.wKZ({ ...this.objectParams(key, { contentType: 'application/json', ...options }), Body: body }), {
            abortSignal: options.signal,
        });
    }
    async get(key, options = {}) {
        const out = await this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
        const body = out.Body;
        if (!body)
            throw new Error(`${this.uri(key)} has no body`);
        return body instanceof external_node_stream_.Readable ? body : external_node_stream_.Readable.fromWeb(body);
    }
    async getText(key, options = {}) {
        const out = await this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
        return (await out.Body?.transformToString('utf8')) ?? '';
    }
    /**
     * ListObjectsV2, paged with StartAfter (the last key seen; equivalent without a delimiter).
     * Some S3-compatible stores fail V2 pagination (s3rver mints its continuation tokens with DES,
     * which OpenSSL 3 no longer has, and answers InternalError): then the classic ListObjects with
     * a marker is used, which every store supports.
     */
    async *list(prefix, options = {}) {
        let after;
        const strip = this.options.prefix ? this.options.prefix.length + 1 : 0;
        for (;;) {
            const page = await this.listPage(this.key(prefix), after, options.signal);
            for (const o of page.contents) {
                if (!o.Key)
                    continue;
                yield { key: o.Key.slice(strip), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
            }
            const last = page.contents.at(-1)?.Key;
            if (!page.truncated || !last || last === after)
                break;
            after = last;
        }
    }
    useV1 = false;
    async listPage(prefix, after, signal) {
        if (!this.useV1) {
            try {
                const page = await this.client.send(new dist_cjs/* ListObjectsV2Command */.u6x({ Bucket: this.options.bucket, Prefix: prefix, StartAfter: after }), { abortSignal: signal });
                return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
            }
            catch (error) {
                if (!/InternalError|NotImplemented/.test(`${error?.name} ${(0,errors/* errorMessage */.gJ)(error)}`))
                    throw error;
                log/* log */.R.debug(`ListObjectsV2 failed on this store (${(0,errors/* errorMessage */.gJ)(error)}); listing with ListObjects instead.`);
                this.useV1 = true;
            }
        }
        const page = await this.client.send(new dist_cjs/* ListObjectsCommand */.Wc7({ Bucket: this.options.bucket, Prefix: prefix, Marker: after }), { abortSignal: signal });
        return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
    }
    async delete(keys, options = {}) {
        let deleted = 0;
        for (let i = 0; i < keys.length; i += 1000) {
            const batch = keys.slice(i, i + 1000);
            const out = await this.client.send(new dist_cjs/* DeleteObjectsCommand */.xvx({
                Bucket: this.options.bucket,
                Delete: { Objects: batch.map((k) => ({ Key: this.key(k) })), Quiet: true },
            }), { abortSignal: options.signal });
            const errors = out.Errors ?? [];
            if (errors.length) {
                throw new Error(`Could not delete ${errors.length} object(s), e.g. ${errors[0].Key}: ${errors[0].Code} ${errors[0].Message ?? ''}`.trim());
            }
            deleted += batch.length;
        }
        return deleted;
    }
}


/***/ })

};
