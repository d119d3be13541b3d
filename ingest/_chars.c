/* The character loop of ingest.chars.page_chars, compiled.
 *
 * read_chars() does exactly what ingest.chars._read_chars does in Python — the same
 * pdfium calls in the same order, the same arithmetic in double precision, the same
 * math.hypot — without the interpreter's cost per character. pdfium's functions are
 * passed in as addresses (pypdfium2 loads the library), so nothing here links against
 * pdfium or includes its headers; the few types it needs are declared below as in
 * fpdfview.h / fpdf_text.h. tests/ingest/test_chars.py checks both loops give the same
 * characters.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { float left, top, right, bottom; } rect_f;      /* FS_RECTF */
typedef struct { float a, b, c, d, e, f; } matrix_f;            /* FS_MATRIX */

typedef unsigned int (*get_unicode_fn)(void *, int);
typedef int (*get_box_fn)(void *, int, rect_f *);
typedef void *(*get_object_fn)(void *, int);
typedef int (*is_generated_fn)(void *, int);
typedef double (*get_size_fn)(void *, int);
typedef int (*get_matrix_fn)(void *, int, matrix_f *);
typedef int (*get_fill_fn)(void *, int, unsigned int *, unsigned int *, unsigned int *, unsigned int *);

static int
not_printed(unsigned int code)
{
    return code == 0 || code == 10 || code == 13 || code == 0xFFFE || code == 0xFFFF || code >= 0x110000;
}

static PyObject *
new_char(PyTypeObject *type, PyObject *fields[7])
{
    /* a Char named tuple, made as tuple.__new__(Char, fields) makes it */
    PyObject *item = type->tp_alloc(type, 7);
    if (item == NULL) {
        for (int k = 0; k < 7; k++) Py_XDECREF(fields[k]);
        return NULL;
    }
    for (int k = 0; k < 7; k++) PyTuple_SET_ITEM(item, k, fields[k]);
    return item;
}

/* read_chars(handle, count, height, functions, char_type, hypot) -> list */
static PyObject *
read_chars(PyObject *self, PyObject *args)
{
    unsigned long long handle_value;
    int count;
    double height;
    PyObject *functions, *hypot;
    PyTypeObject *char_type;
    if (!PyArg_ParseTuple(args, "KidO!O!O", &handle_value, &count, &height, &PyTuple_Type, &functions,
                          &PyType_Type, &char_type, &hypot))
        return NULL;
    if (PyTuple_GET_SIZE(functions) != 7) {
        PyErr_SetString(PyExc_ValueError, "seven pdfium function addresses expected");
        return NULL;
    }
    void *fn[7];
    for (int k = 0; k < 7; k++) {
        fn[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(functions, k));
        if (fn[k] == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null pdfium function");
            return NULL;
        }
    }
    get_unicode_fn get_unicode = (get_unicode_fn)fn[0];
    get_box_fn get_box = (get_box_fn)fn[1];
    get_object_fn get_object = (get_object_fn)fn[2];
    is_generated_fn is_generated = (is_generated_fn)fn[3];
    get_size_fn get_size = (get_size_fn)fn[4];
    get_matrix_fn get_matrix = (get_matrix_fn)fn[5];
    get_fill_fn get_fill = (get_fill_fn)fn[6];
    void *handle = (void *)(uintptr_t)handle_value;

    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    unsigned int pending_high = 0;
    int first = 1;
    void *last_object = NULL;
    double size = 0.0;
    int red = 0;
    for (int i = 0; i < count; i++) {
        unsigned int code = get_unicode(handle, i);
        if (code >= 0xD800 && code < 0xE000) {
            if (code < 0xDC00) {  /* first half of a character beyond the BMP */
                pending_high = code;
                continue;
            }
            if (!pending_high) continue;  /* a lone second half: no character */
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00);
        }
        pending_high = 0;
        if (not_printed(code)) continue;
        Py_UCS4 ch = code == 0x30FB ? 0xB7 : (Py_UCS4)code;  /* 间隔号: see chars.py */
        if (Py_UNICODE_ISSPACE(ch) && is_generated(handle, i)) continue;
        rect_f rect;
        if (!get_box(handle, i, &rect)) continue;
        void *object = get_object(handle, i);
        if (first || object == NULL || object != last_object) {
            first = 0;
            last_object = object;
            size = get_size(handle, i);
            matrix_f matrix;
            if (get_matrix(handle, i, &matrix)) {
                PyObject *scale = PyObject_CallFunction(hypot, "dd", (double)matrix.c, (double)matrix.d);
                if (scale == NULL) goto error;
                double factor = PyFloat_AsDouble(scale);
                Py_DECREF(scale);
                if (factor == -1.0 && PyErr_Occurred()) goto error;
                size *= factor;
            }
            unsigned int r = 0, g = 0, b = 0, a = 0;
            red = get_fill(handle, i, &r, &g, &b, &a) && r > 153 && g < 90 && b < 90;
        }
        double bottom = height - (double)rect.bottom;
        PyObject *fields[7] = {
            PyUnicode_FromOrdinal((int)ch),
            PyFloat_FromDouble((double)rect.left),
            PyFloat_FromDouble((double)rect.right),
            PyFloat_FromDouble(bottom - size),
            PyFloat_FromDouble(bottom),
            PyFloat_FromDouble(size),
            PyBool_FromLong(red),
        };
        for (int k = 0; k < 7; k++) {
            if (fields[k] == NULL) {
                for (int j = 0; j < 7; j++) Py_XDECREF(fields[j]);
                goto error;
            }
        }
        PyObject *item = new_char(char_type, fields);
        if (item == NULL) goto error;
        int failed = PyList_Append(out, item);
        Py_DECREF(item);
        if (failed) goto error;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"read_chars", read_chars, METH_VARARGS,
     "read_chars(handle, count, height, functions, char_type, hypot) -> list of char_type\n\n"
     "The characters of a pdfium text page (see ingest.chars._read_chars)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "ingest._chars", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__chars(void)
{
    return PyModule_Create(&module);
}
