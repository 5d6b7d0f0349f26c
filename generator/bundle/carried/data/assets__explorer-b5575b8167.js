export function start() {
wasm.Bb();
}
function __wbg_get_imports() {
const import0 = {
__proto__: null,
qb: function(arg0, arg1) {
const ret = debugString(arg1);
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
kb: function(arg0) {
const ret = !arg0;
return ret;
},
nb: function(arg0) {
const ret = typeof(arg0) === 'function';
return ret;
},
jb: function(arg0) {
const ret = arg0 === null;
return ret;
},
ob: function(arg0) {
const ret = arg0 === undefined;
return ret;
},
lb: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'number' ? obj : undefined;
getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
},
mb: function(arg0, arg1) {
const obj = arg1;
const ret = typeof(obj) === 'string' ? obj : undefined;
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.Kb, wasm.Lb);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
ib: function(arg0, arg1) {
throw new Error(getStringFromWasm0(arg0, arg1));
},
pb: function(arg0) {
arg0._wbg_cb_unref();
},
F: function(arg0) {
const ret = arg0.activeElement;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
V: function() { return handleError(function (arg0, arg1, arg2, arg3) {
arg0.addEventListener(getStringFromWasm0(arg1, arg2), arg3);
}, arguments); },
aa: function() { return handleError(function (arg0, arg1, arg2) {
arg0.add(getStringFromWasm0(arg1, arg2));
}, arguments); },
ha: function(arg0, arg1, arg2, arg3, arg4) {
arg0.append(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
},
Ma: function(arg0) {
const ret = arg0.buffer;
return ret;
},
sa: function(arg0) {
const ret = arg0.byobRequest;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
Ja: function(arg0) {
const ret = arg0.byteLength;
return ret;
},
Ka: function(arg0) {
const ret = arg0.byteOffset;
return ret;
},
e: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.call(arg1, arg2);
return ret;
}, arguments); },
Fa: function(arg0) {
const ret = arg0.cancelBubble;
return ret;
},
ka: function(arg0) {
const ret = arg0.checked;
return ret;
},
t: function(arg0) {
const ret = arg0.classList;
return ret;
},
X: function(arg0) {
arg0.click();
},
za: function() { return handleError(function (arg0) {
const ret = arg0.cloneNode();
return ret;
}, arguments); },
Da: function() { return handleError(function (arg0, arg1) {
const ret = arg0.cloneNode(arg1 !== 0);
return ret;
}, arguments); },
va: function() { return handleError(function (arg0) {
arg0.close();
}, arguments); },
ta: function() { return handleError(function (arg0) {
arg0.close();
}, arguments); },
Ga: function(arg0) {
const ret = arg0.composedPath();
return ret;
},
Ea: function(arg0, arg1) {
const ret = arg0.contains(arg1);
return ret;
},
pa: function(arg0) {
const ret = arg0.content;
return ret;
},
G: function(arg0, arg1, arg2) {
const ret = arg0.createComment(getStringFromWasm0(arg1, arg2));
return ret;
},
H: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.createElement(getStringFromWasm0(arg1, arg2));
return ret;
}, arguments); },
xa: function() { return handleError(function (arg0, arg1) {
const ret = URL.createObjectURL(arg1);
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
J: function(arg0, arg1, arg2) {
const ret = arg0.createTextNode(getStringFromWasm0(arg1, arg2));
return ret;
},
i: function() { return handleError(function (arg0, arg1) {
const ret = Reflect.deleteProperty(arg0, arg1);
return ret;
}, arguments); },
K: function(arg0) {
const ret = arg0.documentElement;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
q: function(arg0) {
const ret = arg0.document;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
ua: function() { return handleError(function (arg0, arg1) {
arg0.enqueue(arg1);
}, arguments); },
ia: function(arg0) {
const ret = arg0.entries();
return ret;
},
m: function(arg0, arg1, arg2) {
const ret = arg0.fetch(getStringFromWasm0(arg1, arg2));
return ret;
},
z: function(arg0) {
const ret = arg0.firstElementChild;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
Y: function() { return handleError(function (arg0) {
arg0.focus();
}, arguments); },
Xa: function(arg0) {
const ret = Array.from(arg0);
return ret;
},
u: function(arg0, arg1, arg2, arg3) {
const ret = arg1.getAttribute(getStringFromWasm0(arg2, arg3));
var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.Kb, wasm.Lb);
var len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
A: function(arg0) {
const ret = arg0.getBoundingClientRect();
return ret;
},
n: function() { return handleError(function (arg0, arg1) {
const ret = arg0.getComputedStyle(arg1);
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
Sa: function(arg0) {
const ret = arg0.getDate();
return ret;
},
L: function(arg0, arg1, arg2) {
const ret = arg0.getElementById(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
Qa: function(arg0) {
const ret = arg0.getFullYear();
return ret;
},
Ta: function(arg0) {
const ret = arg0.getMonth();
return ret;
},
oa: function() { return handleError(function (arg0, arg1, arg2, arg3) {
const ret = arg1.getPropertyValue(getStringFromWasm0(arg2, arg3));
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
eb: function() { return handleError(function (arg0, arg1) {
const ret = Reflect.get(arg0, arg1);
return ret;
}, arguments); },
c: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
g: function(arg0, arg1) {
const ret = arg0[arg1 >>> 0];
return ret;
},
v: function(arg0, arg1, arg2) {
const ret = arg0.hasAttribute(getStringFromWasm0(arg1, arg2));
return ret;
},
M: function() { return handleError(function (arg0, arg1) {
const ret = arg1.hash;
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
p: function() { return handleError(function (arg0) {
const ret = arg0.history;
return ret;
}, arguments); },
T: function(arg0) {
const ret = arg0.host;
return ret;
},
la: function(arg0, arg1) {
const ret = arg1.href;
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
l: function() { return handleError(function (arg0) {
const ret = arg0.innerHeight;
return ret;
}, arguments); },
Ba: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.insertBefore(arg1, arg2);
return ret;
}, arguments); },
s: function(arg0) {
let result;
try {
result = arg0 instanceof Element;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
_: function(arg0) {
let result;
try {
result = arg0 instanceof HTMLElement;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
b: function(arg0) {
let result;
try {
result = arg0 instanceof Object;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
P: function(arg0) {
let result;
try {
result = arg0 instanceof Response;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
U: function(arg0) {
let result;
try {
result = arg0 instanceof ShadowRoot;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
j: function(arg0) {
let result;
try {
result = arg0 instanceof Window;
} catch (_) {
result = false;
}
const ret = result;
return ret;
},
Ya: function(arg0) {
const ret = Array.isArray(arg0);
return ret;
},
Na: function(arg0) {
const ret = arg0.length;
return ret;
},
h: function(arg0) {
const ret = arg0.length;
return ret;
},
r: function(arg0) {
const ret = arg0.location;
return ret;
},
$: function() { return handleError(function (arg0, arg1, arg2) {
arg0.mark(getStringFromWasm0(arg1, arg2));
}, arguments); },
ga: function() { return handleError(function () {
const ret = new URLSearchParams();
return ret;
}, arguments); },
Ra: function() {
const ret = new Date();
return ret;
},
Va: function() {
const ret = new Array();
return ret;
},
Za: function(arg0, arg1) {
const ret = new Error(getStringFromWasm0(arg0, arg1));
return ret;
},
_a: function() {
const ret = new Object();
return ret;
},
La: function(arg0, arg1, arg2) {
const ret = new Uint8Array(arg0, arg1 >>> 0, arg2 >>> 0);
return ret;
},
fa: function() { return handleError(function (arg0, arg1) {
const ret = new URLSearchParams(getStringFromWasm0(arg0, arg1));
return ret;
}, arguments); },
ya: function() { return handleError(function (arg0, arg1) {
const ret = new Blob(arg0, arg1);
return ret;
}, arguments); },
Wa: function(arg0) {
const ret = Array.of(arg0);
return ret;
},
Q: function(arg0) {
const ret = arg0.ok;
return ret;
},
Aa: function(arg0) {
const ret = arg0.parentNode;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
O: function() { return handleError(function (arg0, arg1) {
const ret = arg1.pathname;
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
k: function(arg0) {
const ret = arg0.performance;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
Ha: function(arg0) {
arg0.preventDefault();
},
C: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4, arg5) {
arg0.pushState(arg1, getStringFromWasm0(arg2, arg3), arg4 === 0 ? undefined : getStringFromWasm0(arg4, arg5));
}, arguments); },
a: function(arg0, arg1) {
const ret = arg0.push(arg1);
return ret;
},
I: function() { return handleError(function (arg0, arg1, arg2) {
const ret = arg0.querySelector(getStringFromWasm0(arg1, arg2));
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
}, arguments); },
hb: function(arg0) {
const ret = arg0.queueMicrotask;
return ret;
},
gb: function(arg0) {
queueMicrotask(arg0);
},
y: function() { return handleError(function (arg0, arg1, arg2) {
arg0.removeAttribute(getStringFromWasm0(arg1, arg2));
}, arguments); },
W: function() { return handleError(function (arg0, arg1, arg2, arg3) {
arg0.removeEventListener(getStringFromWasm0(arg1, arg2), arg3);
}, arguments); },
ba: function() { return handleError(function (arg0, arg1, arg2) {
arg0.remove(getStringFromWasm0(arg1, arg2));
}, arguments); },
B: function(arg0) {
arg0.remove();
},
ca: function(arg0) {
arg0.remove();
},
D: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4, arg5) {
arg0.replaceState(arg1, getStringFromWasm0(arg2, arg3), arg4 === 0 ? undefined : getStringFromWasm0(arg4, arg5));
}, arguments); },
o: function() { return handleError(function (arg0, arg1) {
const ret = arg0.requestAnimationFrame(arg1);
return ret;
}, arguments); },
db: function(arg0) {
const ret = Promise.resolve(arg0);
return ret;
},
qa: function() { return handleError(function (arg0, arg1) {
arg0.respond(arg1 >>> 0);
}, arguments); },
wa: function() { return handleError(function (arg0, arg1) {
URL.revokeObjectURL(getStringFromWasm0(arg0, arg1));
}, arguments); },
N: function() { return handleError(function (arg0, arg1) {
const ret = arg1.search;
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
}, arguments); },
w: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setAttribute(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
na: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
arg0.setProperty(getStringFromWasm0(arg1, arg2), getStringFromWasm0(arg3, arg4));
}, arguments); },
fb: function() { return handleError(function (arg0, arg1, arg2) {
const ret = Reflect.set(arg0, arg1, arg2);
return ret;
}, arguments); },
Oa: function(arg0, arg1, arg2) {
arg0.set(getArrayU8FromWasm0(arg1, arg2));
},
ma: function(arg0, arg1, arg2) {
arg0.href = getStringFromWasm0(arg1, arg2);
},
x: function(arg0, arg1, arg2) {
arg0.innerHTML = getStringFromWasm0(arg1, arg2);
},
Ca: function(arg0, arg1, arg2) {
arg0.nodeValue = arg1 === 0 ? undefined : getStringFromWasm0(arg1, arg2);
},
da: function(arg0, arg1, arg2) {
arg0.type = getStringFromWasm0(arg1, arg2);
},
$a: function() {
const ret = typeof globalThis === 'undefined' ? undefined : globalThis;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
bb: function() {
const ret = typeof global === 'undefined' ? undefined : global;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
ab: function() {
const ret = typeof self === 'undefined' ? undefined : self;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
cb: function() {
const ret = typeof window === 'undefined' ? undefined : window;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
S: function(arg0) {
const ret = arg0.status;
return ret;
},
Ua: function() { return handleError(function (arg0, arg1, arg2) {
const ret = JSON.stringify(arg0, arg1, arg2);
return ret;
}, arguments); },
Z: function(arg0) {
const ret = arg0.style;
return ret;
},
Ia: function(arg0) {
const ret = arg0.target;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
R: function() { return handleError(function (arg0) {
const ret = arg0.text();
return ret;
}, arguments); },
f: function(arg0, arg1, arg2) {
const ret = arg0.then(arg1, arg2);
return ret;
},
Pa: function(arg0, arg1) {
const ret = arg0.then(arg1);
return ret;
},
d: function(arg0) {
const ret = arg0.toString();
return ret;
},
ea: function(arg0) {
const ret = arg0.top;
return ret;
},
ja: function(arg0, arg1) {
const ret = arg1.value;
const ptr1 = passStringToWasm0(ret, wasm.Kb, wasm.Lb);
const len1 = WASM_VECTOR_LEN;
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
},
ra: function(arg0) {
const ret = arg0.view;
return isLikeNone(ret) ? 0 : addToExternrefTable0(ret);
},
E: function(arg0) {
console.warn(arg0);
},
sb: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h2bec7d02747f7bb5);
return ret;
},
tb: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h5cddc56ae7f8e60e);
return ret;
},
ub: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h2bec7d02747f7bb5_14);
return ret;
},
vb: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__hedba4fe2a7f0c986);
return ret;
},
wb: function(arg0, arg1) {
const ret = makeMutClosure(arg0, arg1, wasm_bindgen__convert__closures_____invoke__h49a2da1d1b6dc0a5);
return ret;
},
xb: function(arg0) {
const ret = arg0;
return ret;
},
yb: function(arg0, arg1) {
const ret = getStringFromWasm0(arg0, arg1);
return ret;
},
rb: function() {
const table = wasm.Ob;
table.set(0, undefined);
table.set(1024, undefined);
table.set(1025, null);
table.set(1026, true);
table.set(1027, false);
},
};
return {
__proto__: null,
"a": import0,
};
}
function wasm_bindgen__convert__closures_____invoke__hedba4fe2a7f0c986(arg0, arg1) {
wasm.Jb(arg0, arg1);
}
function wasm_bindgen__convert__closures_____invoke__h49a2da1d1b6dc0a5(arg0, arg1) {
wasm.Ib(arg0, arg1);
}
function wasm_bindgen__convert__closures_____invoke__h2bec7d02747f7bb5(arg0, arg1, arg2) {
wasm.Gb(arg0, arg1, arg2);
}
function wasm_bindgen__convert__closures_____invoke__h2bec7d02747f7bb5_14(arg0, arg1, arg2) {
wasm.Hb(arg0, arg1, arg2);
}
function wasm_bindgen__convert__closures_____invoke__h5cddc56ae7f8e60e(arg0, arg1, arg2) {
const ret = wasm.Fb(arg0, arg1, arg2);
if (ret[1]) {
throw takeFromExternrefTable0(ret[0]);
}
}
function wasm_bindgen__convert__closures_____invoke__h10c7cea53597491f(arg0, arg1, arg2, arg3) {
wasm.Eb(arg0, arg1, arg2, arg3);
}
const __wbindgen_enum_ReadableStreamType = ["bytes"];
function addToExternrefTable0(obj) {
const idx = wasm.Nb();
wasm.Ob.set(idx, obj);
return idx;
}
const CLOSURE_DTORS = (typeof FinalizationRegistry === 'undefined')
? { register: () => {}, unregister: () => {} }
: new FinalizationRegistry(state => wasm.Qb(state.a, state.b));
function debugString(val) {
switch (typeof val) {
case 'number':
case 'boolean':
case 'undefined':
return `${val}`;
case 'string':
return JSON.stringify(val);
case 'bigint':
return `${val}n`;
case 'symbol':
return val.description !== undefined
? `Symbol(${val.description})`
: 'Symbol';
case 'function':
return typeof val.name === 'string' && val.name !== ''
? `Function(${val.name})`
: 'Function';
case 'object': {
if (val === null) {
return 'null';
}
if (Array.isArray(val)) {
return '[' + Array.from(val, debugString).join(', ') + ']';
}
if (val instanceof Error) {
return `${val.name}: ${val.message}\n${val.stack}`;
}
const toStringOutput = toString.call(val);
const className = /\[object ([^\]]+)\]/.exec(toStringOutput)?.[1];
if (className === undefined) {
return toStringOutput;
}
if (className === 'Object') {
try {
return 'Object(' + JSON.stringify(val) + ')';
} catch (_) {
return 'Object';
}
}
return className;
}
}
}
function getArrayU8FromWasm0(ptr, len) {
ptr = ptr >>> 0;
return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}
let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.zb.buffer)) {
cachedDataViewMemory0 = new DataView(wasm.zb.buffer);
}
return cachedDataViewMemory0;
}
function getStringFromWasm0(ptr, len) {
ptr = ptr >>> 0;
return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}
let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
cachedUint8ArrayMemory0 = new Uint8Array(wasm.zb.buffer);
}
return cachedUint8ArrayMemory0;
}
function handleError(f, args) {
try {
return f.apply(this, args);
} catch (e) {
const idx = addToExternrefTable0(e);
wasm.Pb(idx);
}
}
function isLikeNone(x) {
return x === undefined || x === null;
}
function makeMutClosure(arg0, arg1, f) {
const state = { a: arg0, b: arg1, cnt: 1 };
const real = (...args) => {
state.cnt++;
const a = state.a;
state.a = 0;
try {
return f(a, state.b, ...args);
} finally {
state.a = a;
real._wbg_cb_unref();
}
};
real._wbg_cb_unref = () => {
if (--state.cnt === 0) {
wasm.Qb(state.a, state.b);
state.a = 0;
CLOSURE_DTORS.unregister(state);
}
};
CLOSURE_DTORS.register(real, state, state);
return real;
}
function passStringToWasm0(arg, malloc, realloc) {
if (realloc === undefined) {
const buf = cachedTextEncoder.encode(arg);
const ptr = malloc(buf.length, 1) >>> 0;
getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
WASM_VECTOR_LEN = buf.length;
return ptr;
}
let len = arg.length;
let ptr = malloc(len, 1) >>> 0;
const mem = getUint8ArrayMemory0();
let offset = 0;
for (; offset < len; offset++) {
const code = arg.charCodeAt(offset);
if (code > 0x7F) break;
mem[ptr + offset] = code;
}
if (offset !== len) {
if (offset !== 0) {
arg = arg.slice(offset);
}
ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
const ret = cachedTextEncoder.encodeInto(arg, view);
offset += ret.written;
ptr = realloc(ptr, len, offset, 1) >>> 0;
}
WASM_VECTOR_LEN = offset;
return ptr;
}
function takeFromExternrefTable0(idx) {
const value = wasm.Ob.get(idx);
wasm.Rb(idx);
return value;
}
let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
numBytesDecoded += bytes.length;
if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
numBytesDecoded = bytes.length;
}
return cachedTextDecoder.decode(bytes);
}
const cachedTextEncoder = new TextEncoder();
if (!('encodeInto' in cachedTextEncoder)) {
cachedTextEncoder.encodeInto = function (arg, view) {
const buf = cachedTextEncoder.encode(arg);
view.set(buf);
return {
read: arg.length,
written: buf.length
};
};
}
let WASM_VECTOR_LEN = 0;
let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
wasmInstance = instance;
wasm = instance.exports;
wasmModule = module;
cachedDataViewMemory0 = null;
cachedUint8ArrayMemory0 = null;
wasm.Sb();
return wasm;
}
async function __wbg_load(module, imports) {
if (typeof Response === 'function' && module instanceof Response) {
if (!module.ok) {
throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
}
if (typeof WebAssembly.instantiateStreaming === 'function') {
try {
return await WebAssembly.instantiateStreaming(module, imports);
} catch (e) {
const validResponse = expectedResponseType(module.type);
if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);
} else { throw e; }
}
}
const bytes = await module.arrayBuffer();
return await WebAssembly.instantiate(bytes, imports);
} else {
const instance = await WebAssembly.instantiate(module, imports);
if (instance instanceof WebAssembly.Instance) {
return { instance, module };
} else {
return instance;
}
}
function expectedResponseType(type) {
switch (type) {
case 'basic': case 'cors': case 'default': return true;
}
return false;
}
}
function initSync(module) {
if (wasm !== undefined) return wasm;
if (module !== undefined) {
if (Object.getPrototypeOf(module) === Object.prototype) {
({module} = module)
} else {
console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
}
}
const imports = __wbg_get_imports();
if (!(module instanceof WebAssembly.Module)) {
module = new WebAssembly.Module(module);
}
const instance = new WebAssembly.Instance(module, imports);
return __wbg_finalize_init(instance, module);
}
let __wbg_init_promise;
async function __wbg_init(module_or_path) {
if (wasm !== undefined) return wasm;
if (__wbg_init_promise === undefined) {
__wbg_init_promise = __wbg_init_once(module_or_path);
__wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
}
return __wbg_init_promise;
}
async function __wbg_init_once(module_or_path) {
if (module_or_path !== undefined) {
if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
({module_or_path} = module_or_path)
} else {
console.warn('using deprecated parameters for the initialization function; pass a single object instead')
}
}
const imports = __wbg_get_imports();
if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
module_or_path = fetch(module_or_path);
}
const { instance, module } = await __wbg_load(await module_or_path, imports);
return __wbg_finalize_init(instance, module);
}
export { initSync, __wbg_init as default };

__wbg_init({ module_or_path: new URL("explorer-7cffb1870d_bg.wasm", import.meta.url) });
