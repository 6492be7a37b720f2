export const id = 164;
export const ids = [164];
export const modules = {

/***/ 7164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Store: () => (/* binding */ S3Store)
/* harmony export */ });
/* unused harmony export s3Client */
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3711);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2358);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6677);
/* harmony import */ var _core_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7046);
/* harmony import */ var _core_net_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9563);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(653);
/**
 * A backup store in any S3-compatible bucket: multipart streaming uploads (@aws-sdk/lib-storage)
 * that are aborted on any failure, paginated listing, batch deletes.
 */







/**
 * What the parts in flight may hold: 2 × 5 MiB. lib-storage also holds the part it is filling
 * and the next one, so an upload buffers about 4 parts. A compressed, encrypted dump comes out
 * at ~10–15 MiB/s, which two parallel part uploads outpace. When a large database needs bigger
 * parts (over ~36 GB), one goes at a time.
 */
const UPLOAD_BUFFER_BYTES = 10 * _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MiB */ .l;
function s3Client(options) {
    const off = options.checksum === 'off';
    return new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.S3Client({
        region: options.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
        endpoint: options.endpoint || undefined,
        forcePathStyle: options.forcePathStyle,
        requestChecksumCalculation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
        responseChecksumValidation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
        maxAttempts: 4,
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
        // Remember the last real failure of a request: when one part upload fails, lib-storage aborts
        // the others and may report their "operation was aborted" instead of the cause.
        this.client.middlewareStack.add((next) => async (args) => {
            try {
                return await next(args);
            }
            catch (error) {
                if (error?.name !== 'AbortError')
                    this.lastFailure = error;
                throw error;
            }
        }, { step: 'initialize', name: 'gantryRememberFailure' });
    }
    lastFailure;
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
        const needed = Math.ceil((expectedBytes * 1.25) / 9_000 / _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MiB */ .l) * _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MiB */ .l;
        if (needed > this.options.partSizeBytes)
            this.options.partSizeBytes = Math.min(needed, 5 * 1024 * _types_js__WEBPACK_IMPORTED_MODULE_5__/* .MiB */ .l);
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
        const controller = new AbortController();
        const onAbort = () => controller.abort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        // A failing body must fail the upload even while lib-storage is waiting on a part upload.
        let bodyError;
        body.on('error', (error) => {
            bodyError = error;
        });
        const upload = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
            client: this.client,
            params: { ...this.objectParams(key, options), Body: body },
            partSize: this.options.partSizeBytes,
            queueSize: this.queueSize,
            // We abort the multipart upload ourselves, so that the error reported is the one that
            // caused the failure, not a failure of the abort.
            leavePartsOnError: true,
            abortController: controller,
        });
        if (options.onProgress)
            upload.on('httpUploadProgress', (p) => p.loaded !== undefined && options.onProgress(p.loaded));
        this.lastFailure = undefined;
        try {
            await upload.done();
            if (bodyError)
                throw bodyError;
        }
        catch (error) {
            const own = options.signal?.aborted ? undefined : this.lastFailure;
            body.destroy();
            controller.abort();
            await this.abortMultipart(key, upload.uploadId);
            const aborted = (e) => e?.name === 'AbortError' || /operation was aborted/i.test(String(e?.message));
            if (own)
                throw own; // the store failed: that is the cause, whatever lib-storage reports
            if (bodyError && !aborted(bodyError))
                throw bodyError; // pg_dump (or pg_restore, or age) failed
            throw error;
        }
        finally {
            options.signal?.removeEventListener('abort', onAbort);
        }
    }
    /** Aborts a multipart upload so that no parts remain (billed, invisible); warns when it cannot. */
    async abortMultipart(key, uploadId) {
        if (!uploadId)
            return; // a single PutObject that never completed leaves nothing
        try {
            await (0,_core_net_js__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L5)(() => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.AbortMultipartUploadCommand({ Bucket: this.options.bucket, Key: this.key(key), UploadId: uploadId })), {
                attempts: 3,
                baseDelayMs: 200,
            });
        }
        catch (error) {
            _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.warning(`Could not abort the multipart upload of ${this.uri(key)} (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}): no object was created, but its parts may remain until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.`);
        }
    }
    async putSmall(key, body, options = {}) {
        await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.PutObjectCommand({ ...this.objectParams(key, { contentType: 'application/json', ...options }), Body: body }), {
            abortSignal: options.signal,
        });
    }
    async get(key, options = {}) {
        const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
        const body = out.Body;
        if (!body)
            throw new Error(`${this.uri(key)} has no body`);
        return body instanceof node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable ? body : node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.fromWeb(body);
    }
    async getText(key, options = {}) {
        const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
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
                const page = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, StartAfter: after }), { abortSignal: signal });
                return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
            }
            catch (error) {
                if (!/InternalError|NotImplemented/.test(`${error?.name} ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`))
                    throw error;
                _core_log_js__WEBPACK_IMPORTED_MODULE_3__/* .log */ .R.debug(`ListObjectsV2 failed on this store (${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}); listing with ListObjects instead.`);
                this.useV1 = true;
            }
        }
        const page = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.ListObjectsCommand({ Bucket: this.options.bucket, Prefix: prefix, Marker: after }), { abortSignal: signal });
        return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
    }
    async delete(keys, options = {}) {
        let deleted = 0;
        for (let i = 0; i < keys.length; i += 1000) {
            const batch = keys.slice(i, i + 1000);
            const out = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_6__.DeleteObjectsCommand({
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
