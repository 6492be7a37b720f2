export const id = 967;
export const ids = [967];
export const modules = {

/***/ 46967:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LocalStore: () => (/* binding */ LocalStore)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/** A backup store in a local directory: writes go to a `.partial` file renamed into place on success. */




class LocalStore {
    root;
    constructor(directory) {
        this.root = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(directory);
    }
    path(key) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(this.root, key);
        if (path !== this.root && !path.startsWith(this.root + node_path__WEBPACK_IMPORTED_MODULE_2__.sep))
            throw new Error(`Key ${JSON.stringify(key)} leaves the backup directory`);
        return path;
    }
    uri(key) {
        return this.path(key);
    }
    async put(key, body, options = {}) {
        const path = this.path(key);
        const partial = `${path}.partial`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
        let bytes = 0;
        if (options.onProgress)
            body.on('data', (c) => options.onProgress((bytes += c.length)));
        try {
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(body, (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(partial, { flags: 'wx' }), { signal: options.signal });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(partial, path);
        }
        catch (error) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(partial, { force: true });
            throw error;
        }
    }
    async putSmall(key, body) {
        const path = this.path(key);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
        const partial = `${path}.partial`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(partial, body);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(partial, path);
    }
    async get(key) {
        const path = this.path(key);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(path); // a clear ENOENT now rather than on the first read
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path, { highWaterMark: 1024 * 1024 });
    }
    async getText(key) {
        return (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(this.path(key), 'utf8');
    }
    async *list(prefix) {
        // The prefix names a directory ("name/") or a file-name prefix within one.
        const base = this.path(prefix.endsWith('/') ? prefix : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(prefix) === '.' ? '' : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(prefix));
        const walk = async function* (dir) {
            let entries;
            try {
                entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir, { withFileTypes: true });
            }
            catch (error) {
                if (error.code === 'ENOENT')
                    return;
                throw error;
            }
            for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
                const full = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, entry.name);
                if (entry.isDirectory())
                    yield* walk.call(this, full);
                else if (entry.isFile() && !entry.name.endsWith('.partial')) {
                    const key = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(this.root, full).split(node_path__WEBPACK_IMPORTED_MODULE_2__.sep).join('/');
                    if (!key.startsWith(prefix))
                        continue;
                    const s = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(full);
                    yield { key, size: s.size, lastModified: s.mtime };
                }
            }
        };
        yield* walk.call(this, base);
    }
    async delete(keys) {
        let deleted = 0;
        for (const key of keys) {
            try {
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(this.path(key));
                deleted++;
            }
            catch (error) {
                if (error.code !== 'ENOENT')
                    throw error;
            }
        }
        return deleted;
    }
}


/***/ })

};
